"""Cadre settings. Everything that differs between machines comes from the environment."""

import os
import secrets
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("CADRE_DATA_DIR", BASE_DIR / "data"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)


def _secret_key() -> str:
    key = os.environ.get("SECRET_KEY", "").strip()
    if key:
        return key
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set it in the environment (50+ random characters), "
            "or set DEBUG=1 for a local install that keeps a generated key in data/."
        )
    # A local install keeps one generated key so that sessions survive restarts.
    path = DATA_DIR / "secret_key"
    if not path.exists():
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(64))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "csp",
    "cadre.core",
    "cadre.accounts",
    "cadre.districts",
    "cadre.audit",
    "cadre.funding",
    "cadre.planning",
    "cadre.growth",
    "cadre.catalog",
    "cadre.mentoring",
    "cadre.collaboration",
    "cadre.coaching",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "cadre.core.middleware.RefuseNulMiddleware",  # before anything reads the session or a form
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "cadre.core.middleware.DistrictMiddleware",
]

ROOT_URLCONF = "cadre.urls"
WSGI_APPLICATION = "cadre.wsgi.application"
ASGI_APPLICATION = "cadre.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "cadre" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "cadre.core.context_processors.actor",
            ],
        },
    }
]

# Database: SQLite in data/ unless DATABASE_URL says otherwise.
DATABASE_URL = os.environ.get("DATABASE_URL", "").strip()
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
else:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "cadre.sqlite3",
            "OPTIONS": {
                "timeout": 20,
                "transaction_mode": "IMMEDIATE",
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    # What every worker must see alike: sign-in failure counts and used two-factor codes. In
    # the database, so it needs no other server; `migrate` creates the table.
    "shared": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "cadre_shared_cache",
        # Culling drops counts at random, so keep it for real floods only.
        "OPTIONS": {"MAX_ENTRIES": 100_000},
    },
}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["cadre.accounts.backends.StaffBackend"]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

# Accounts: email and password only; people arrive through the roster, never by sign-up.
ACCOUNT_ADAPTER = "cadre.accounts.adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_SESSION_REMEMBER = False
# Failed sign-ins count per account from one client address, so a wrong password for one
# person never refuses another; an address and an account each have a ceiling as well (README,
# "Sign-in limits"). Values are count/period, period in s, m, h or d.
LOGIN_FAILURES_PER_ACCOUNT_AND_IP = os.environ.get("LOGIN_FAILURES_PER_ACCOUNT_AND_IP", "5/5m")
LOGIN_FAILURES_PER_IP = os.environ.get("LOGIN_FAILURES_PER_IP", "300/1h")
LOGIN_FAILURES_PER_ACCOUNT = os.environ.get("LOGIN_FAILURES_PER_ACCOUNT", "300/1h")
ACCOUNT_RATE_LIMITS = {
    # every sign-in form sent, right or wrong: a whole school may sign in in the same minute
    "login": "300/m/ip",
    "login_failed": f"{LOGIN_FAILURES_PER_ACCOUNT_AND_IP}/key",  # and per user for 2FA codes
    # counted by cadre.accounts.adapter, apart, so that nothing allauth clears resets them
    "login_failed_ip": f"{LOGIN_FAILURES_PER_IP}/ip",
    "login_failed_account": f"{LOGIN_FAILURES_PER_ACCOUNT}/key",
    "reset_password": "30/m/ip,3/5m/key",
}
# Proxies in front of Cadre that append to X-Forwarded-For; rate limits key on the client
# address they report. 0 trusts no header and uses the connection's address.
ALLAUTH_TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", 0))
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Cadre"

SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", 60 * 60 * 8))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_SAVE_EVERY_REQUEST = True
SESSION_COOKIE_HTTPONLY = True

LANGUAGE_CODE = "en-us"
TIME_ZONE = os.environ.get("TIME_ZONE", "America/Los_Angeles")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "cadre" / "static"]
MEDIA_ROOT = DATA_DIR / "media"
MEDIA_URL = "media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG
if DEBUG:  # whitenoise serves from the finders here, but still expects its folder
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
IMPORT_MAX_UPLOAD_BYTES = int(os.environ.get("IMPORT_MAX_UPLOAD_BYTES", 200 * 1024 * 1024))
# What an uploaded zip may unpack to, in all; checked before anything is read.
IMPORT_MAX_UNPACKED_BYTES = int(os.environ.get("IMPORT_MAX_UNPACKED_BYTES", 1024 * 1024 * 1024))

# The address people reach Cadre at, for links in emails.
SITE_URL = os.environ.get("SITE_URL", "http://localhost:8000").rstrip("/")

# Email goes through Django's email backends.
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", 25))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Cadre <cadre@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Mail goes out through a task (cadre.core.tasks.send_email), tried this many times in all,
# 1, 2, 4… minutes apart, while the mail server is down.
EMAIL_SEND_ATTEMPTS = int(os.environ.get("EMAIL_SEND_ATTEMPTS", 5))

# Background work: the database backend; tests switch to the immediate one.
TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

# Security. With DEBUG off these make `check --deploy` clean.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000))
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first, so an anonymous call answers 401 with WWW-Authenticate: Token.
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "cadre.core.drf.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "cadre.core.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "cadre.core.drf.exception_handler",
    "DEFAULT_THROTTLE_RATES": {"user": "600/min", "anon": "60/min"},
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.UserRateThrottle",
        "rest_framework.throttling.AnonRateThrottle",
    ],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Cadre API",
    "DESCRIPTION": "Professional learning for school districts. Every resource is scoped to "
    "the caller's district and role. A person who works in more than one district names the "
    "district of a token call in the header `X-Cadre-District: <district slug>`; without it "
    "such a call answers 400 (code `district_header.choose`), and a slug that is not one of theirs "
    "answers 400 (`district_header.unknown`).",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    # Choice sets that share a field name ("kind", "role") or appear under two names ("use",
    # "allowed_uses") are named here, so generation is warning-free and the names are stable.
    "ENUM_NAME_OVERRIDES": {
        "RoleEnum": "cadre.districts.models.Role",
        "ImportRunKindEnum": "cadre.districts.models.ImportRun.Kind",
        "ImportRunStatusEnum": "cadre.districts.models.ImportRun.Status",
        "ProgramKindEnum": "cadre.districts.models.Program.Kind",
        "UseEnum": "cadre.funding.models.Use",
        "StipendRoleEnum": "cadre.funding.models.StipendRole",
        "FundingSourceKindEnum": "cadre.funding.models.FundingSource.Kind",
        "LedgerEntryKindEnum": "cadre.funding.models.LedgerEntry.Kind",
        "BudgetTransferKindEnum": "cadre.funding.models.BudgetTransfer.Kind",
        # Program PD plans and strategic plans share draft/published; PD plans and
        # professional goals share draft/submitted/returned/approved.
        "PublicationStatusEnum": "cadre.planning.models.StrategicPlan.Status",
        "ReviewStatusEnum": "cadre.planning.models.PdPlan.Status",
        "IsdRequestKindEnum": "cadre.growth.models.IsdRequest.Kind",
        "MentorLogKindEnum": "cadre.mentoring.models.Log.Kind",
        "MentorMatchStatusEnum": "cadre.mentoring.models.Match.Status",
        "MentorMatchEndReasonEnum": "cadre.mentoring.models.Match.EndReason",
        # Stipend awards show on their own resource and on a mentor match.
        "StipendAwardStatusEnum": "cadre.funding.models.StipendAward.Status",
        # Small groups and coaching share "kind", "stage" and "status" with other resources.
        "GroupKindEnum": "cadre.collaboration.models.Group.Kind",
        "GroupStageEnum": "cadre.collaboration.models.Group.Stage",
        "GroupStatusEnum": "cadre.collaboration.models.Group.Status",
        "CoachingCycleStageEnum": "cadre.coaching.models.Cycle.Stage",
        "ObservationKindEnum": "cadre.coaching.models.Observation.Kind",
        "ObservationStatusEnum": "cadre.coaching.models.Observation.Status",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

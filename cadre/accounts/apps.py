from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "cadre.accounts"
    label = "accounts"

    def ready(self) -> None:
        # allauth keeps sign-in counts and used two-factor codes in the default cache, which is
        # each worker's own memory here: a limit would count per worker, and a used code could
        # pass again on another. Point both at the cache every worker shares (settings.CACHES);
        # test_sign_in_limits fails if an allauth upgrade stops reading them from there.
        from allauth.core.internal import ratelimit
        from allauth.mfa.totp.internal import auth as totp
        from django.core.cache import caches
        from django.utils.connection import ConnectionProxy

        shared = ConnectionProxy(caches, "shared")
        ratelimit.cache = shared
        totp.cache = shared

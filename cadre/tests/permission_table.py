"""The permission table: every URL × role × in-scope / out-of-scope object → expected status.

Each row names a URL, the object it acts on (a key into the `world` fixture, district A) and
the expected status for each role in district A. Every logged-in role also gets 404 for the
same object in district B; the anonymous visitor is sent to sign in (pages) or refused (API).

Later issues add their rows here. `test_every_url_is_listed` fails when a URL is missing.

Five more columns (issue 17) sign in as people whose rights are their own: the instructional
coach of the teacher's coaching cycle (`coach`), a mentor with a pair of their own at the
other school (`mentor`; the pair is `lone_match` and `lone_log`), a district mentor
coordinator (`coordinator`), a business-office clerk (`business_office`) and the new teacher
whom the teacher mentors (`new_teacher`). The coach and the new teacher are the world's; the
others are made inside each case (test_permissions.py), so the shared world stays as it is.
A row names them (`more=`) only where they differ from the teacher: each of them expects what
the teacher expects unless the row says otherwise. They are checked in district A only: the
outsider's 404 in district B is the same code path for every role, and the table's first five
columns prove it already.
"""

from dataclasses import dataclass, field

ROLES = ("anon", "teacher", "principal", "director", "admin")
# The extra columns: as the teacher unless a row says otherwise; district A only.
MORE_ROLES = ("coach", "mentor", "coordinator", "business_office", "new_teacher")

OK, FOUND, BAD, FORBIDDEN, MISSING, CONFLICT, UNAUTHORIZED = 200, 302, 400, 403, 404, 409, 401
CREATED, NO_CONTENT = 201, 204


@dataclass(frozen=True)
class Row:
    name: str
    expect: dict[str, int]
    obj: str | None = None  # world key in district A, e.g. "teacher" or "school"
    method: str = "get"
    lookup: str = "pk"
    api: bool = False
    data: dict = field(default_factory=dict)
    query: str = ""
    kwargs: dict | None = None  # the URL's arguments as given, e.g. a token with a NUL in it
    more: dict = field(default_factory=dict)  # the extra columns that differ from the teacher

    def __post_init__(self):
        unknown = set(self.more) - set(MORE_ROLES)
        assert not unknown, f"not a column of the table: {unknown}"

    @property
    def id(self) -> str:
        return f"{self.method.upper()} {self.name}{'(' + self.obj + ')' if self.obj else ''}"

    def expected(self, role: str) -> int:
        """The row's status for a role; an extra column not named expects the teacher's."""
        return self.more.get(role, self.expect.get(role, self.expect["teacher"]))


def others(status: int = MISSING, **but: int) -> dict[str, int]:
    """The extra columns: all at `status` (by default 404: not theirs to see), but as named."""
    return dict.fromkeys(MORE_ROLES, status) | but


def page(anon=FOUND, teacher=OK, principal=OK, director=OK, admin=OK) -> dict[str, int]:
    return {
        "anon": anon,
        "teacher": teacher,
        "principal": principal,
        "director": director,
        "admin": admin,
    }


def admin_only(ok=OK, others=FORBIDDEN, anon=FOUND) -> dict[str, int]:
    return page(anon=anon, teacher=others, principal=others, director=others, admin=ok)


def api(anon=UNAUTHORIZED, teacher=OK, principal=OK, director=OK, admin=OK) -> dict[str, int]:
    return page(anon, teacher, principal, director, admin)


NOT_THERE = dict.fromkeys(ROLES, MISSING)
NO_AUTHENTICATOR = page(teacher=MISSING, principal=MISSING, director=MISSING, admin=MISSING)

ROWS: list[Row] = [
    # --- districts: pages
    Row("home", page()),
    Row("district-settings", admin_only()),
    Row("school-list", page()),
    Row("school-create", admin_only()),
    Row("school-detail", page(), obj="school"),
    Row("school-edit", admin_only(), obj="school"),
    Row("program-list", page()),
    Row("program-create", admin_only()),
    Row("program-detail", page(), obj="program"),
    Row("program-edit", admin_only(), obj="program"),
    Row("school-year-list", page()),
    Row("school-year-create", admin_only()),
    Row("school-year-edit", admin_only(), obj="year"),
    Row("school-year-make-current", admin_only(ok=FOUND), obj="year", method="post"),
    Row("staff-list", page(teacher=FORBIDDEN)),
    Row("staff-create", admin_only()),
    Row("staff-detail", page(director=MISSING), obj="teacher", more=others()),
    Row(
        "staff-detail",
        page(teacher=MISSING, principal=MISSING, director=MISSING),
        obj="other_teacher",
    ),
    Row("staff-detail", page(teacher=MISSING, principal=MISSING), obj="program_teacher"),
    Row(
        "staff-edit",
        page(teacher=FORBIDDEN, principal=FORBIDDEN, director=MISSING),
        obj="teacher",
        more=others(),
    ),
    Row(
        "staff-edit",
        page(teacher=MISSING, principal=MISSING, director=MISSING),
        obj="other_teacher",
    ),
    Row(
        "staff-deactivate",
        page(teacher=FORBIDDEN, principal=FORBIDDEN, director=MISSING, admin=FOUND),
        obj="teacher",
        method="post",
        more=others(),
    ),
    Row(
        "staff-reactivate",
        page(teacher=FORBIDDEN, principal=FORBIDDEN, director=MISSING, admin=FOUND),
        obj="teacher",
        method="post",
        more=others(),
    ),
    Row("assignment-list", page(teacher=FORBIDDEN)),
    Row("assignment-create", admin_only()),
    Row(
        "assignment-edit",
        page(teacher=FORBIDDEN, principal=FORBIDDEN, director=MISSING),
        obj="teacher_assignment",
        more=others(),
    ),
    Row(
        "assignment-end",
        page(teacher=FORBIDDEN, principal=FORBIDDEN, director=MISSING, admin=FOUND),
        obj="teacher_assignment",
        method="post",
        more=others(),
    ),
    Row("import-list", admin_only()),
    Row("import-create", admin_only()),
    Row("import-detail", admin_only(others=MISSING), obj="import"),
    Row("staff-data-create", admin_only()),
    Row(
        "staff-data-create",
        admin_only(ok=BAD),
        method="post",
        data={"file": "", "mapping": "Days Worked = shoe size"},
    ),
    # --- audit
    Row("audit-list", admin_only()),
    # --- accounts
    Row("account-token", page()),
    Row("account-district", page()),
    Row(
        "account_login", page(anon=OK, teacher=FOUND, principal=FOUND, director=FOUND, admin=FOUND)
    ),
    Row("account_logout", page(anon=FOUND)),
    Row("account_inactive", page(anon=OK)),
    Row(
        "account_signup", page(anon=OK, teacher=FOUND, principal=FOUND, director=FOUND, admin=FOUND)
    ),
    Row("account_reauthenticate", page()),
    # Sign-in addresses are the district's to set: allauth's email pages are not there.
    Row("account_email", NOT_THERE),
    Row(
        "account_email", NOT_THERE, method="post", data={"email": "x@example.org", "action_add": ""}
    ),
    Row("account_email_verification_sent", NOT_THERE),
    Row("account_change_password", page()),
    Row("account_set_password", page(teacher=FOUND, principal=FOUND, director=FOUND, admin=FOUND)),
    Row("account_reset_password", page(anon=OK)),
    Row("account_reset_password_done", page(anon=OK)),
    Row("account_reset_password_from_key_done", page(anon=OK)),
    Row(
        "account_confirm_login_code",
        page(anon=FOUND, teacher=FOUND, principal=FOUND, director=FOUND, admin=FOUND),
    ),
    Row("mfa_index", page()),
    Row(
        "mfa_authenticate",
        page(anon=FOUND, teacher=FOUND, principal=FOUND, director=FOUND, admin=FOUND),
    ),
    Row("mfa_reauthenticate", page(teacher=FOUND, principal=FOUND, director=FOUND, admin=FOUND)),
    # Activating TOTP first asks for the password again (reauthentication).
    Row("mfa_activate_totp", page(teacher=FOUND, principal=FOUND, director=FOUND, admin=FOUND)),
    # Without an authenticator there is nothing to deactivate or view: allauth answers 404.
    Row("mfa_deactivate_totp", NO_AUTHENTICATOR),
    Row("mfa_view_recovery_codes", NO_AUTHENTICATOR),
    Row(
        "mfa_generate_recovery_codes",
        page(teacher=FOUND, principal=FOUND, director=FOUND, admin=FOUND),
    ),
    Row("mfa_download_recovery_codes", NO_AUTHENTICATOR),
    # --- API
    Row("api:api-root", api(), api=True),
    # Any other path under the API: its JSON 404, signed in or not.
    Row("api:not-found", dict.fromkeys(ROLES, MISSING), kwargs={"rest": "nothing/1"}, api=True),
    Row("api:school-list", api(), api=True),
    Row(
        "api:school-list",
        api(teacher=FORBIDDEN, principal=FORBIDDEN, director=FORBIDDEN, admin=BAD),
        method="post",
        api=True,
    ),
    Row("api:school-detail", api(), obj="school", api=True),
    Row("api:program-list", api(), api=True),
    Row("api:program-detail", api(), obj="program", api=True),
    Row("api:school-year-list", api(), api=True),
    Row("api:school-year-detail", api(), obj="year", api=True),
    Row(
        "api:school-year-make-current",
        api(teacher=FORBIDDEN, principal=FORBIDDEN, director=FORBIDDEN),
        obj="year",
        method="post",
        api=True,
    ),
    # A teacher's staff list holds only themselves.
    Row("api:staff-list", api(), api=True),
    Row(
        "api:import-list", api(teacher=FORBIDDEN, principal=FORBIDDEN, director=FORBIDDEN), api=True
    ),
    Row(
        "api:import-list",
        api(teacher=FORBIDDEN, principal=FORBIDDEN, director=FORBIDDEN, admin=BAD),
        method="post",
        api=True,
    ),
    Row(
        "api:import-detail",
        api(teacher=MISSING, principal=MISSING, director=MISSING),
        obj="import",
        api=True,
    ),
    Row(
        "api:staff-data-list",
        api(teacher=FORBIDDEN, principal=FORBIDDEN, director=FORBIDDEN, admin=BAD),
        method="post",
        api=True,
    ),
    Row(
        "api:staff-list",
        api(teacher=FORBIDDEN, principal=FORBIDDEN, director=FORBIDDEN, admin=BAD),
        method="post",
        api=True,
    ),
    Row("api:staff-detail", api(director=MISSING), obj="teacher", api=True, more=others()),
    Row(
        "api:staff-detail",
        api(teacher=MISSING, principal=MISSING, director=MISSING),
        obj="other_teacher",
        api=True,
    ),
    Row(
        "api:staff-detail",
        api(teacher=FORBIDDEN, principal=FORBIDDEN, director=MISSING),
        obj="teacher",
        method="patch",
        api=True,
        more=others(),
    ),
    Row(
        "api:staff-deactivate",
        api(teacher=FORBIDDEN, principal=FORBIDDEN, director=MISSING),
        obj="teacher",
        method="post",
        api=True,
        more=others(),
    ),
    Row(
        "api:staff-reactivate",
        api(teacher=FORBIDDEN, principal=FORBIDDEN, director=MISSING, admin=CONFLICT),
        obj="teacher",
        method="post",
        api=True,
        more=others(),
    ),
    Row("api:assignment-list", api(), api=True),
    Row(
        "api:assignment-detail",
        api(director=MISSING),
        obj="teacher_assignment",
        api=True,
        more=others(),
    ),
    Row(
        "api:assignment-detail",
        api(teacher=FORBIDDEN, principal=FORBIDDEN, director=MISSING),
        obj="teacher_assignment",
        method="patch",
        api=True,
        more=others(),
    ),
    # The schema and its docs describe the API, hold no district data, and are public.
    Row("api-schema", api(anon=OK), api=True),
    Row("api-docs", api(anon=OK), api=True),
]

# URLs whose path carries a secret key rather than an object: they answer for a bad key.
KEYED = {
    "account_confirm_email": {"key": "not-a-real-key"},
    "account_reset_password_from_key": {"uidb36": "zz", "key": "not-a-real-key"},
}
# A key that must be real to answer: a function of the world gives the kwargs (district A).
KEYED["stakeholder-input"] = lambda world: {"token": world.obj("a.assessment").input_token}
ROWS += [
    Row("account_confirm_email", NOT_THERE, query=""),
    Row("account_reset_password_from_key", page(anon=OK)),
]

# Each app keeps its rows beside its tests; they join the one table here.
from cadre.funding.tests import rows_api, rows_pages  # noqa: E402

ROWS += rows_pages.ROWS + rows_api.ROWS

from cadre.planning.tests import rows_api as planning_api  # noqa: E402
from cadre.planning.tests import rows_pages as planning_pages  # noqa: E402

ROWS += planning_pages.ROWS + planning_api.ROWS

from cadre.growth.tests import rows_api as growth_api  # noqa: E402
from cadre.growth.tests import rows_pages as growth_pages  # noqa: E402

ROWS += growth_pages.ROWS + growth_api.ROWS + [Row("alignment", page())]

from cadre.catalog.tests import (  # noqa: E402
    rows_api as catalog_api,
)
from cadre.catalog.tests import (  # noqa: E402
    rows_attendance,
    rows_offerings,
    rows_registration,
    rows_transcript,
)

ROWS += (
    rows_offerings.ROWS
    + rows_registration.ROWS
    + rows_attendance.ROWS
    + rows_transcript.ROWS
    + catalog_api.ROWS
)

from cadre.mentoring.tests import rows_api as mentoring_api  # noqa: E402

ROWS += mentoring_api.ROWS

from cadre.mentoring.tests import rows_pages as mentoring_pages  # noqa: E402

ROWS += mentoring_pages.ROWS

from cadre.coaching.tests import rows_api as coaching_api  # noqa: E402
from cadre.coaching.tests import rows_pages as coaching_pages  # noqa: E402
from cadre.collaboration.tests import rows_api as collaboration_api  # noqa: E402
from cadre.collaboration.tests import rows_pages as collaboration_pages  # noqa: E402

ROWS += collaboration_pages.ROWS + collaboration_api.ROWS + coaching_pages.ROWS + coaching_api.ROWS

# A NUL character (which PostgreSQL refuses in a query) in a search, a path or a form is
# refused with 400 before any view (cadre.core.middleware.RefuseNulMiddleware), never a 500.
NUL = "q=%00&actor=%00&type=%00&object=%00"
NUL_REFUSED = dict.fromkeys(ROLES, BAD)
ROWS += [
    Row(name, NUL_REFUSED, query=NUL)
    for name in (
        "staff-list",
        "school-list",
        "program-list",
        "assignment-list",
        "audit-list",
        "catalog",
        "partner-list",
        "mentoring-people",
        "offering-manage",
        "stipend-award-list",
    )
]
ROWS += [
    Row("stakeholder-input", NUL_REFUSED, kwargs={"token": "\x00"}),
    Row("stakeholder-input", NUL_REFUSED, kwargs={"token": "a\x00b"}),
    Row("calendar-feed", NUL_REFUSED, kwargs={"token": "\x00"}),
    Row("calendar-feed", NUL_REFUSED, kwargs={"token": "a\x00b"}),
]

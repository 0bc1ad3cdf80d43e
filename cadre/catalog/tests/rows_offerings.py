"""Permission rows for the catalogue's offering pages (see cadre/tests/permission_table.py).

In district A: `offering` is the district's published offering (provided by `partner`) with
`session` and its `meeting`; only administrators manage it. `draft_offering` is a draft run by
the principal's school: the principal and administrators manage it, and the teacher and the
director do not see it (404). Partners, contacts and focus areas are read by everyone and
written by administrators; agreements are seen by leaders only (the teacher gets 404).
"""

from cadre.tests.permission_table import (
    BAD,
    FORBIDDEN,
    FOUND,
    MISSING,
    Row,
    admin_only,
    page,
)

UNSEEN_DRAFT = {"teacher": MISSING, "director": MISSING}  # the school's draft

ROWS = [
    # --- the catalogue
    Row("catalog", page()),
    Row(
        "catalog",
        page(),
        query="format=x&focus=abc&from=nope&to=2026-13-40&provider=zz&school=99999999999999999999"
        "&credit=gold&role=king&page=9",
    ),
    Row("catalog", page(), query="credit=clock&provider=district&from=2020-01-01&role=teacher"),
    Row("offering-manage", page(teacher=FORBIDDEN)),
    Row("offering-manage", page(teacher=FORBIDDEN), query="status=bogus"),
    # --- offerings
    Row("offering-create", page(teacher=FORBIDDEN)),
    Row(
        "offering-create",
        page(teacher=FORBIDDEN, principal=BAD, director=BAD, admin=BAD),
        method="post",
    ),  # fmt: skip
    Row("offering-detail", page(), obj="offering"),
    Row("offering-detail", page(**UNSEEN_DRAFT), obj="draft_offering"),
    Row("offering-edit", admin_only(), obj="offering"),
    Row("offering-edit", page(**UNSEEN_DRAFT), obj="draft_offering"),
    Row(
        "offering-edit",
        page(**UNSEEN_DRAFT, principal=BAD, admin=BAD),
        obj="draft_offering",
        method="post",
    ),  # fmt: skip
    Row(
        "offering-publish",
        page(**UNSEEN_DRAFT, principal=FOUND, admin=FOUND),
        obj="draft_offering",
        method="post",
    ),  # fmt: skip
    Row("offering-archive", admin_only(ok=FOUND), obj="offering", method="post"),
    Row(
        "offering-archive",
        page(**UNSEEN_DRAFT, principal=FOUND, admin=FOUND),
        obj="draft_offering",
        method="post",
    ),  # fmt: skip
    # --- sessions and meetings
    Row("session-create", admin_only(), obj="offering"),
    Row("session-create", page(**UNSEEN_DRAFT), obj="draft_offering"),
    Row("session-detail", page(), obj="session"),
    Row("session-edit", admin_only(), obj="session"),
    Row("session-cancel", admin_only(ok=FOUND), obj="session", method="post"),
    Row("meeting-create", admin_only(), obj="session"),
    Row("meeting-create", admin_only(ok=BAD), obj="session", method="post"),
    Row("meeting-edit", admin_only(), obj="meeting"),
    Row("meeting-delete", admin_only(ok=FOUND), obj="meeting", method="post"),
    # --- focus areas
    Row("focus-area-list", page()),
    Row("focus-area-create", admin_only()),
    Row("focus-area-create", admin_only(ok=BAD), method="post"),
    Row("focus-area-edit", admin_only(), obj="focus_area"),
    # --- partners
    Row("partner-list", page()),
    Row("partner-list", page(), query="kind=nope&active=maybe&page=x"),
    Row("partner-create", admin_only()),
    Row("partner-create", admin_only(ok=BAD), method="post"),
    Row("partner-detail", page(), obj="partner"),
    Row("partner-edit", admin_only(), obj="partner"),
    Row("partner-contact-create", admin_only(), obj="partner"),
    Row("partner-contact-edit", admin_only(), obj="partner_contact"),
    Row("partner-contact-delete", admin_only(ok=FOUND), obj="partner_contact", method="post"),
    Row("partner-agreement-create", admin_only(), obj="partner"),
    Row(
        "partner-agreement-edit",
        admin_only(others=FORBIDDEN) | {"teacher": MISSING},
        obj="agreement",
        more={"business_office": FORBIDDEN},
    ),  # fmt: skip
]

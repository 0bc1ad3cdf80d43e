"""Permission rows for the catalogue (see cadre/tests/permission_table.py)."""

from cadre.tests.permission_table import Row, others

ROWS: list[Row] = []

# --- offerings
# `offering` (published, the district's; only administrators manage it) with `session` and
# `meeting`; `draft_offering` is the principal's school's draft, which the teacher and the
# director do not see (404). Partners are read by everyone and written by administrators.
from cadre.tests import permission_table as _o  # noqa: E402

_O_ADMIN = {"teacher": _o.FORBIDDEN, "principal": _o.FORBIDDEN, "director": _o.FORBIDDEN}
_O_LEADER_BAD = {"teacher": _o.FORBIDDEN, "principal": _o.BAD, "director": _o.BAD, "admin": _o.BAD}
_O_ALL_BAD = {"teacher": _o.BAD, "principal": _o.BAD, "director": _o.BAD, "admin": _o.BAD}
_O_DRAFT = {"teacher": _o.MISSING, "director": _o.MISSING}
ROWS += [
    Row("api:partner-list", _o.api(), api=True),
    Row("api:partner-list", _o.api(**_O_ALL_BAD), query="kind=nope", api=True),
    Row("api:partner-list", _o.api(**_O_ADMIN, admin=_o.BAD), method="post", api=True),
    Row("api:partner-detail", _o.api(), obj="partner", api=True),
    Row("api:partner-detail", _o.api(**_O_ADMIN), obj="partner", method="patch", api=True),
    Row("api:offering-list", _o.api(), api=True),
    Row("api:offering-list", _o.api(**_O_ALL_BAD), query="format=x", api=True),
    Row("api:offering-list", _o.api(**_O_ALL_BAD), query="provider=abc&from=nope", api=True),
    Row("api:offering-list", _o.api(**_O_LEADER_BAD), method="post", api=True),
    Row("api:offering-detail", _o.api(), obj="offering", api=True),
    Row("api:offering-detail", _o.api(**_O_DRAFT), obj="draft_offering", api=True),
    Row("api:offering-detail", _o.api(**_O_ADMIN), obj="offering", method="patch", api=True),
    Row(
        "api:offering-detail",
        _o.api(**_O_DRAFT),
        obj="draft_offering",
        method="patch",
        api=True,
    ),
    Row("api:offering-publish", _o.api(**_O_DRAFT), obj="draft_offering", method="post", api=True),
    Row(
        "api:offering-publish",
        _o.api(**_O_ADMIN, admin=_o.CONFLICT),
        obj="offering",
        method="post",
        api=True,
    ),
    Row("api:offering-archive", _o.api(**_O_ADMIN), obj="offering", method="post", api=True),
    Row("api:session-list", _o.api(), api=True),
    Row("api:session-list", _o.api(**_O_ALL_BAD), query="from=nope", api=True),
    Row("api:session-list", _o.api(**_O_LEADER_BAD), method="post", api=True),
    Row("api:session-detail", _o.api(), obj="session", api=True),
    Row("api:session-detail", _o.api(**_O_ADMIN), obj="session", method="patch", api=True),
    Row("api:session-cancel", _o.api(**_O_ADMIN), obj="session", method="post", api=True),
    Row("api:meeting-list", _o.api(), api=True),
    Row("api:meeting-list", _o.api(**_O_ALL_BAD), query="session=x", api=True),
    Row("api:meeting-list", _o.api(**_O_LEADER_BAD), method="post", api=True),
    Row("api:meeting-detail", _o.api(), obj="meeting", api=True),
    Row("api:meeting-detail", _o.api(**_O_ADMIN), obj="meeting", method="patch", api=True),
    Row(
        "api:meeting-detail",
        _o.api(**_O_ADMIN, admin=204),
        obj="meeting",
        method="delete",
        api=True,
    ),
]

# --- transcript
# A transcript is there for whoever sees the person (404 otherwise); `external_hours` is the
# teacher's, submitted, at the principal's school: the author corrects, resubmits and
# withdraws; the principal and the admin decide; the director does not see it.
from cadre.tests import permission_table as _t  # noqa: E402

# Short names the catalogue's API blocks share.
_BAD, _CONFLICT, _FORBIDDEN, _MISSING = _t.BAD, _t.CONFLICT, _t.FORBIDDEN, _t.MISSING
_OK, _api = _t.OK, _t.api

_AUTHOR = {"principal": _t.FORBIDDEN, "director": _t.MISSING, "admin": _t.FORBIDDEN}
_DECIDER = {"teacher": _t.FORBIDDEN, "director": _t.MISSING}
_EVERYONE_BAD = {"teacher": _t.BAD, "principal": _t.BAD, "director": _t.BAD, "admin": _t.BAD}
ROWS += [
    Row("api:transcript-list", _t.api(), api=True),
    Row("api:transcript-list", _t.api(**_EVERYONE_BAD), query="year=abc", api=True),
    Row(
        "api:transcript-list",
        _t.api(teacher=_t.MISSING, principal=_t.MISSING, director=_t.MISSING, admin=_t.MISSING),
        query="year=999999999",
        api=True,
    ),
    Row(
        "api:transcript-detail", _t.api(director=_t.MISSING), obj="teacher", api=True, more=others()
    ),
    Row(
        "api:transcript-detail",
        _t.api(teacher=_t.MISSING, principal=_t.MISSING),
        obj="program_teacher",
        api=True,
    ),
    Row("api:external-hours-list", _t.api(), api=True),
    Row("api:external-hours-list", _t.api(**_EVERYONE_BAD), query="status=nope", api=True),
    Row("api:external-hours-list", _t.api(**_EVERYONE_BAD), method="post", api=True),
    Row(
        "api:external-hours-detail",
        _t.api(director=_t.MISSING),
        obj="external_hours",
        api=True,
        more=others(),
    ),
    Row(
        "api:external-hours-detail",
        _t.api(**_AUTHOR, teacher=_t.CONFLICT),
        obj="external_hours",
        method="patch",
        api=True,
        more=others(),
    ),
    Row(
        "api:external-hours-submit",
        _t.api(**_AUTHOR, teacher=_t.CONFLICT),
        obj="external_hours",
        method="post",
        api=True,
        more=others(),
    ),
    Row(
        "api:external-hours-withdraw",
        _t.api(**_AUTHOR),
        obj="external_hours",
        method="post",
        api=True,
        more=others(),
    ),
    Row(
        "api:external-hours-approve",
        _t.api(**_DECIDER),
        obj="external_hours",
        method="post",
        api=True,
        more=others(),
    ),
    Row(
        "api:external-hours-return",
        _t.api(**_DECIDER, principal=_t.BAD, admin=_t.BAD),
        obj="external_hours",
        method="post",
        api=True,
        more=others(),
    ),
]

# --- attendance
# `attendance` and `completion` are the teacher's, in the closed `done_session`: the teacher,
# their principal and the admin see them; the director does not (404). Marking asks `attend`
# on the meeting the body names, so an empty body is a 400 for everyone; check-in needs a code.
from cadre.tests import permission_table as _att  # noqa: E402

_ATT_OWN = {"director": _att.MISSING}
_ATT_BAD = {"teacher": _att.BAD, "principal": _att.BAD, "director": _att.BAD, "admin": _att.BAD}
ROWS += [
    Row("api:attendance-list", _att.api(), api=True),
    Row("api:attendance-list", _att.api(**_ATT_BAD), query="meeting=abc", api=True),
    Row("api:attendance-list", _att.api(**_ATT_BAD), query="ordering=nope", api=True),
    Row("api:attendance-list", _att.api(**_ATT_BAD), method="post", api=True),
    Row("api:attendance-detail", _att.api(**_ATT_OWN), obj="attendance", api=True, more=others()),
    Row("api:attendance-checkin", _att.api(**_ATT_BAD), method="post", api=True),
    Row(
        "api:attendance-checkin",
        _att.api(**_ATT_BAD),
        method="post",
        data={"code": "ZZZZZZ"},
        api=True,
    ),
    Row("api:completion-list", _att.api(), api=True),
    Row("api:completion-list", _att.api(**_ATT_BAD), query="staff=x", api=True),
    Row("api:completion-detail", _att.api(**_ATT_OWN), obj="completion", api=True, more=others()),
]

# --- registration
# `registration` is the teacher's (registered, at the principal's school), `program_registration`
# the program teacher's (the director's), `requested_registration` the teacher's request waiting
# for the principal. The admin manages the district's offering. Anyone registers themself (an
# empty body is a 400); only leaders assign, and only to the staff they lead.
_TEACHERS = {"director": _t.MISSING}
_LEADERS_BAD = {"teacher": _t.FORBIDDEN, "principal": _t.BAD, "director": _t.BAD, "admin": _t.BAD}
ROWS += [
    Row("api:registration-list", _t.api(), api=True),
    Row("api:registration-list", _t.api(**_EVERYONE_BAD), query="status=nope", api=True),
    Row("api:registration-list", _t.api(**_EVERYONE_BAD), method="post", api=True),
    Row(
        "api:registration-detail", _t.api(**_TEACHERS), obj="registration", api=True, more=others()
    ),
    Row(
        "api:registration-detail",
        _t.api(teacher=_t.MISSING, principal=_t.MISSING),
        obj="program_registration",
        api=True,
    ),
    Row(
        "api:registration-approve",
        _t.api(teacher=_t.FORBIDDEN, director=_t.MISSING),
        obj="requested_registration",
        method="post",
        api=True,
        more=others(),
    ),
    # Already registered: nothing to approve.
    Row(
        "api:registration-approve",
        _t.api(teacher=_t.FORBIDDEN, principal=_t.CONFLICT, director=_t.MISSING, admin=_t.CONFLICT),
        obj="registration",
        method="post",
        api=True,
        more=others(),
    ),
    Row(
        "api:registration-deny",
        _t.api(teacher=_t.FORBIDDEN, principal=_t.BAD, director=_t.MISSING, admin=_t.BAD),
        obj="requested_registration",
        method="post",
        api=True,
        more=others(),
    ),
    Row(
        "api:registration-deny",
        _t.api(teacher=_t.FORBIDDEN, director=_t.MISSING),
        obj="requested_registration",
        method="post",
        data={"reason": "Not this year."},
        api=True,
        more=others(),
    ),
    Row(
        "api:registration-cancel",
        _t.api(**_TEACHERS),
        obj="registration",
        method="post",
        api=True,
        more=others(),
    ),
    Row("api:session-assignment-list", _t.api(), api=True),
    Row("api:session-assignment-list", _t.api(**_LEADERS_BAD), method="post", api=True),
    Row(
        "api:session-assignment-detail",
        _t.api(teacher=_t.MISSING, director=_t.MISSING),
        obj="session_assignment",
        api=True,
    ),
]

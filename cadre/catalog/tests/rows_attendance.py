"""Permission rows for the attendance pages (see cadre/tests/permission_table.py).

In district A of the `world`: the district runs the published offering, so only the admin
manages it; the *other teacher* facilitates it (no role of the table), so the roster and
closing are the admin's. The teacher (at the principal's school) is registered in `session`
(`registration`, a meeting next week) and completed `done_session` (`done_registration`, with
its `completion`). The principal sees the registrations of their school's staff; the director
sees only their program staff's (404 for the teacher's). The certificate's verification is
public.
"""

from cadre.tests.permission_table import (
    BAD,
    FORBIDDEN,
    FOUND,
    KEYED,
    MISSING,
    OK,
    Row,
    others,
    page,
)

# The public verification page is keyed by a real certificate's code.
KEYED["certificate-verify"] = lambda world: {"code": world.obj("a.completion").code}

MANAGERS = page(teacher=FORBIDDEN, principal=FORBIDDEN, director=FORBIDDEN)
TEACHERS_OWN = page(director=MISSING)  # the registrant, their principal and the admin
PUBLIC = page(anon=OK)

ROWS: list[Row] = [
    # --- the roster, and closing a session
    Row("session-roster", MANAGERS, obj="session"),
    Row("session-roster", MANAGERS, obj="session", query="meeting=abc"),
    Row("session-roster", MANAGERS, obj="done_session"),
    # An empty mark names nobody: 400 for those who take attendance.
    Row(
        "roster-mark",
        page(teacher=FORBIDDEN, principal=FORBIDDEN, director=FORBIDDEN, admin=BAD),
        obj="meeting",
        method="post",
    ),
    # Refused by its state (the meeting is next week; the done session is closed): a message.
    Row(
        "session-close",
        page(teacher=FORBIDDEN, principal=FORBIDDEN, director=FORBIDDEN, admin=FOUND),
        obj="session",
        method="post",
    ),
    Row(
        "session-close",
        page(teacher=FORBIDDEN, principal=FORBIDDEN, director=FORBIDDEN, admin=FOUND),
        obj="done_session",
        method="post",
    ),
    # --- self check-in
    Row("checkin", page()),
    Row("checkin", page(), query="code=abc123"),
    Row(
        "checkin",
        page(teacher=BAD, principal=BAD, director=BAD, admin=BAD),
        method="post",
    ),
    # --- modules: seen by whoever sees the registration; attested by the registrant only
    Row("registration-modules", TEACHERS_OWN, obj="registration", more=others()),
    Row(
        "registration-modules",
        page(teacher=MISSING, principal=MISSING),
        obj="program_registration",
    ),
    Row(
        "registration-modules",
        page(teacher=BAD, principal=FORBIDDEN, director=MISSING, admin=FORBIDDEN),
        obj="registration",
        method="post",
        more=others(),
    ),
    # Re-evaluating is the managers'; a registered (not incomplete) one is refused by state.
    Row(
        "registration-evaluate",
        page(teacher=FORBIDDEN, principal=FORBIDDEN, director=MISSING, admin=FOUND),
        obj="registration",
        method="post",
        more=others(),
    ),
    # --- certificates: only for a completed registration, for whoever sees the completion
    Row("certificate", TEACHERS_OWN, obj="done_registration", more=others()),
    Row(
        "certificate",
        page(teacher=MISSING, principal=MISSING, director=MISSING, admin=MISSING),
        obj="registration",
    ),
    Row("certificate-lookup", PUBLIC),
    # A typed code goes to its verification page; an empty one is a 400.
    Row(
        "certificate-lookup",
        page(anon=FOUND, teacher=FOUND, principal=FOUND, director=FOUND, admin=FOUND),
        query="code=abcd efgh jkmn",
    ),
    Row(
        "certificate-lookup",
        page(anon=BAD, teacher=BAD, principal=BAD, director=BAD, admin=BAD),
        query="code=",
    ),
    Row("certificate-verify", PUBLIC),
]

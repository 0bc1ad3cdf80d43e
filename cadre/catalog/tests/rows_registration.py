"""Permission rows for the registration pages and calendars (see cadre/tests/permission_table.py).

In district A the teacher (at the principal's school) is registered in `session` (a district
offering: the admin manages it, the other teacher facilitates it) as `registration`, and waits
for the principal's approval in `approval_session` as `requested_registration`; the program
teacher's `program_registration` is the director's to see. A step the state forbids, or a
successful one, sends the person back (302); an empty form is a 400. The calendar feed answers
by its secret token, to anyone holding it.
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

TEACHERS = page(director=MISSING)  # the registrant, their principal and the admin
PROGRAMS = page(teacher=MISSING, principal=MISSING)  # the director and the admin
LEADERS = page(teacher=FORBIDDEN)

KEYED["calendar-feed"] = lambda world: {"token": world.obj("a.feed").token}

ROWS: list[Row] = [
    Row("my-learning", page()),
    Row("my-learning", page(), query="page=abc"),
    Row("registration-approvals", LEADERS),
    Row("registration-detail", TEACHERS, obj="registration", more=others()),
    Row("registration-detail", TEACHERS, obj="requested_registration", more=others()),
    Row("registration-detail", PROGRAMS, obj="program_registration"),
    # The registrant, their principal and the offering's manager (the admin) cancel.
    Row(
        "registration-cancel",
        page(teacher=FOUND, principal=FOUND, director=MISSING, admin=FOUND),
        obj="registration",
        method="post",
        more=others(),
    ),
    Row(
        "registration-cancel",
        page(teacher=MISSING, principal=MISSING, director=FOUND, admin=FOUND),
        obj="program_registration",
        method="post",
    ),
    # The principal (or an admin) decides; the registrant never decides their own.
    Row(
        "registration-approve",
        page(teacher=FORBIDDEN, principal=FOUND, director=MISSING, admin=FOUND),
        obj="requested_registration",
        method="post",
        more=others(),
    ),
    Row(
        "registration-deny",
        page(teacher=FORBIDDEN, principal=BAD, director=MISSING, admin=BAD),
        obj="requested_registration",
        method="post",
        more=others(),
    ),
    Row(
        "registration-deny",
        page(teacher=FORBIDDEN, principal=FOUND, director=MISSING, admin=FOUND),
        obj="requested_registration",
        method="post",
        data={"reason": "Not this year."},
        more=others(),
    ),
    # Anyone registers; the teacher, already registered, is told so on the session page.
    Row(
        "session-register",
        page(teacher=FOUND, principal=FOUND, director=FOUND, admin=FOUND),
        obj="session",
        method="post",
    ),
    Row("session-assign", LEADERS, obj="session"),
    Row(
        "session-assign",
        page(teacher=FORBIDDEN, principal=BAD, director=BAD, admin=BAD),
        obj="session",
        method="post",
    ),
    # The offering's managers (here the admin) and the session's facilitators.
    Row(
        "session-registrations",
        page(teacher=FORBIDDEN, principal=FORBIDDEN, director=FORBIDDEN),
        obj="session",
    ),
    Row(
        "session-registrations",
        page(teacher=FORBIDDEN, principal=FORBIDDEN, director=FORBIDDEN),
        obj="session",
        query="format=csv",
    ),
    Row("session-ics", page(), obj="session"),
    # --- calendars
    Row("calendar-feed", page(anon=OK)),
    Row(
        "calendar-feed-link",
        page(teacher=FOUND, principal=FOUND, director=FOUND, admin=FOUND),
        method="post",
    ),
    Row(
        "calendar-feed-revoke",
        page(teacher=FOUND, principal=FOUND, director=FOUND, admin=FOUND),
        method="post",
    ),
]

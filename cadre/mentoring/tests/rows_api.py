"""Permission rows for the mentoring API (see cadre/tests/permission_table.py).

Who is who in district A of the `world`: the teacher is the mentor of `match` (active, with
`mentor_log`) and of `proposed_match`, both for new teachers at the principal's school; the
administrator coordinates the programme; the director leads a program with no part in it. A
match is there for the pair, the coordinator and the new teacher's school leaders; its logs
for the pair alone (everyone else gets 404). Detail actions ask access before they read the
body, so an empty POST is 403 for a refused role and 400 (or the service's answer) for a
permitted one.
"""

from cadre.tests.permission_table import BAD, FORBIDDEN, MISSING, OK, Row, api, others

CREATED = 201
# Coordinator and school leaders follow the programme; a teacher or a director does not.
FOLLOWERS = {"teacher": FORBIDDEN, "director": FORBIDDEN}
# The match (and the mentor) are the teacher's; the director has no part in them.
PAIR_AND_LEADERS = {"director": MISSING}
COORDINATOR = {**PAIR_AND_LEADERS, "teacher": FORBIDDEN, "principal": FORBIDDEN}
PAIR_ONLY = {"principal": MISSING, "director": MISSING, "admin": MISSING}
KEEPERS = {"teacher": MISSING, "director": MISSING}  # the school's leaders and the coordinator

ROWS: list[Row] = [
    # --- mentors: followers list them, the coordinator names and changes them
    Row("api:mentor-list", api(**FOLLOWERS), api=True, more={"coordinator": OK}),
    Row(
        "api:mentor-list",
        api(teacher=FORBIDDEN, principal=FORBIDDEN, director=FORBIDDEN, admin=BAD),
        method="post",
        api=True,
        more={"coordinator": BAD},
    ),
    Row(
        "api:mentor-detail",
        api(**PAIR_AND_LEADERS),
        obj="mentor",
        api=True,
        more=others(coordinator=OK),
    ),
    Row(
        "api:mentor-detail",
        api(**COORDINATOR),
        obj="mentor",
        method="patch",
        api=True,
        more=others(coordinator=OK),
    ),
    # --- matches
    Row("api:mentor-match-list", api(), api=True),
    # Followers propose; an empty body names nobody.
    Row(
        "api:mentor-match-list",
        api(**FOLLOWERS, principal=BAD, admin=BAD),
        method="post",
        api=True,
        more={"coordinator": BAD},
    ),
    Row(
        "api:mentor-match-detail",
        api(**PAIR_AND_LEADERS),
        obj="match",
        api=True,
        more=others(coordinator=OK, new_teacher=OK),
    ),
    Row(
        "api:mentor-match-detail",
        api(**PAIR_AND_LEADERS),
        obj="proposed_match",
        api=True,
        more=others(coordinator=OK),
    ),
    # Confirming needs a fund; the proposed match names none.
    Row(
        "api:mentor-match-confirm",
        api(**COORDINATOR, admin=BAD),
        obj="proposed_match",
        method="post",
        api=True,
        more=others(coordinator=BAD),
    ),
    Row(
        "api:mentor-match-end",
        api(**COORDINATOR, admin=BAD),
        obj="match",
        method="post",
        api=True,
        more=others(coordinator=BAD, new_teacher=FORBIDDEN),
    ),
    Row(
        "api:mentor-match-stipends",
        api(**COORDINATOR, admin=CREATED),
        obj="match",
        method="post",
        api=True,
        more=others(coordinator=CREATED, new_teacher=FORBIDDEN),
    ),
    # The programme's figures: the coordinator's (the administrator here).
    Row(
        "api:mentor-match-summary",
        api(teacher=FORBIDDEN, principal=FORBIDDEN, director=FORBIDDEN),
        api=True,
        more={"coordinator": OK},
    ),
    # --- logs: the pair's alone
    Row("api:mentor-log-list", api(), api=True),
    Row(
        "api:mentor-log-list",
        api(teacher=BAD, principal=BAD, director=BAD, admin=BAD),
        method="post",
        api=True,
    ),
    Row(
        "api:mentor-log-detail",
        api(**PAIR_ONLY),
        obj="mentor_log",
        api=True,
        more=others(new_teacher=OK),
    ),
    Row(
        "api:mentor-log-detail",
        api(**PAIR_ONLY),
        obj="mentor_log",
        method="patch",
        api=True,
        more=others(new_teacher=FORBIDDEN),
    ),
    # The new teacher reflects; the mentor may not.
    Row(
        "api:mentor-log-reflect",
        api(**PAIR_ONLY, teacher=FORBIDDEN),
        obj="mentor_log",
        method="post",
        api=True,
        more=others(new_teacher=BAD),
    ),
    # The mentor column's own pair (at the other school): theirs; the log is the pair's alone.
    Row(
        "api:mentor-match-detail",
        api(teacher=MISSING, principal=MISSING, director=MISSING),
        obj="lone_match",
        api=True,
        more=others(mentor=OK, coordinator=OK),
    ),
    Row(
        "api:mentor-log-detail",
        api(teacher=MISSING, principal=MISSING, director=MISSING, admin=MISSING),
        obj="lone_log",
        api=True,
        more=others(mentor=OK),
    ),
    # --- onboarding checklists: the school's leaders and the coordinator
    Row("api:onboarding-checklist-list", api(**FOLLOWERS), api=True, more={"coordinator": OK}),
    Row(
        "api:onboarding-checklist-list",
        api(**FOLLOWERS, principal=BAD, admin=BAD),
        method="post",
        api=True,
        more={"coordinator": BAD},
    ),
    Row(
        "api:onboarding-checklist-detail",
        api(**KEEPERS),
        obj="checklist",
        api=True,
        more={"coordinator": OK, "new_teacher": OK},
    ),
    Row(
        "api:onboarding-checklist-mark",
        api(**KEEPERS, principal=BAD, admin=BAD),
        obj="checklist",
        method="post",
        api=True,
        more={"coordinator": BAD, "new_teacher": FORBIDDEN},
    ),
]

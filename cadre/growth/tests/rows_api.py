"""Permission rows for the growth API (see cadre/tests/permission_table.py).

Who is who in district A of the `world`: the teacher works at the principal's `school` and
wrote `professional_goal` (submitted), `draft_goal_personal`, `isd_request` (submitted) and
`approved_request`; the program teacher, whom the director supervises, wrote `program_goal`
and `program_request`. A colleague's goals and requests are not there for a teacher (404), nor
for a leader outside their school or program. Detail actions ask access before they read the
body, so an empty POST is 403 for a refused role and 400 (or the service's answer) for a
permitted one.
"""

from cadre.tests.permission_table import BAD, CONFLICT, FORBIDDEN, MISSING, OK, Row, api, others

# The teacher's own rows: the author, the school's principal and administrators see them.
TEACHERS = {"director": MISSING}
# The program teacher's: the director and administrators, not the school.
PROGRAM = {"teacher": MISSING, "principal": MISSING}
ADMIN_WRITES = {"teacher": FORBIDDEN, "principal": FORBIDDEN, "director": FORBIDDEN}
DECIDERS = {**TEACHERS, "teacher": FORBIDDEN}  # the author never decides their own

ROWS: list[Row] = [
    # --- professional goals
    Row("api:professional-goal-list", api(), api=True),
    # Anyone writes their own; an empty body lacks the title.
    Row(
        "api:professional-goal-list",
        api(teacher=BAD, principal=BAD, director=BAD, admin=BAD),
        method="post",
        api=True,
    ),
    Row(
        "api:professional-goal-detail",
        api(**TEACHERS),
        obj="professional_goal",
        api=True,
        more=others(),
    ),
    Row("api:professional-goal-detail", api(**PROGRAM), obj="program_goal", api=True),
    Row(
        "api:professional-goal-detail",
        api(**TEACHERS),
        obj="draft_goal_personal",
        api=True,
        more=others(),
    ),
    # Only the author edits, and only a draft or returned goal.
    Row(
        "api:professional-goal-detail",
        api(**TEACHERS, teacher=CONFLICT, principal=FORBIDDEN, admin=FORBIDDEN),
        obj="professional_goal",
        method="patch",
        api=True,
        more=others(),
    ),
    Row(
        "api:professional-goal-detail",
        api(**TEACHERS, principal=FORBIDDEN, admin=FORBIDDEN),
        obj="draft_goal_personal",
        method="patch",
        api=True,
        more=others(),
    ),
    Row(
        "api:professional-goal-submit",
        api(**TEACHERS, teacher=CONFLICT, principal=FORBIDDEN, admin=FORBIDDEN),
        obj="professional_goal",
        method="post",
        api=True,
        more=others(),
    ),
    Row(
        "api:professional-goal-withdraw",
        api(**TEACHERS, principal=FORBIDDEN, admin=FORBIDDEN),
        obj="professional_goal",
        method="post",
        api=True,
        more=others(),
    ),
    Row(
        "api:professional-goal-approve",
        api(**DECIDERS),
        obj="professional_goal",
        method="post",
        api=True,
        more=others(),
    ),
    Row(
        "api:professional-goal-approve",
        api(**PROGRAM),
        obj="program_goal",
        method="post",
        api=True,
    ),
    Row(
        "api:professional-goal-return",
        api(**DECIDERS, principal=BAD, admin=BAD),
        obj="professional_goal",
        method="post",
        api=True,
        more=others(),
    ),
    Row(
        "api:professional-goal-reflect",
        api(**TEACHERS, teacher=BAD, principal=FORBIDDEN, admin=FORBIDDEN),
        obj="professional_goal",
        method="post",
        api=True,
        more=others(),
    ),
    # --- ISD allotments: everyone reads them, administrators set them
    Row("api:isd-allotment-list", api(), api=True),
    Row("api:isd-allotment-list", api(**ADMIN_WRITES, admin=BAD), method="post", api=True),
    Row("api:isd-allotment-detail", api(), obj="allotment", api=True),
    Row(
        "api:isd-allotment-detail",
        api(**ADMIN_WRITES),
        obj="allotment",
        method="patch",
        api=True,
    ),
    Row("api:isd-allotment-balance", api(), api=True),
    # --- ISD requests
    Row("api:isd-request-list", api(), api=True),
    Row(
        "api:isd-request-list",
        api(teacher=BAD, principal=BAD, director=BAD, admin=BAD),
        method="post",
        api=True,
    ),
    Row(
        "api:isd-request-detail",
        api(**TEACHERS),
        obj="isd_request",
        api=True,
        more=others(business_office=OK),
    ),
    Row(
        "api:isd-request-detail",
        api(**PROGRAM),
        obj="program_request",
        api=True,
        more={"business_office": OK},
    ),
    Row(
        "api:isd-request-approve",
        api(**DECIDERS),
        obj="isd_request",
        method="post",
        api=True,
        more=others(business_office=FORBIDDEN),
    ),
    Row(
        "api:isd-request-approve",
        api(**PROGRAM),
        obj="program_request",
        method="post",
        api=True,
        more={"business_office": FORBIDDEN},
    ),
    Row(
        "api:isd-request-deny",
        api(**DECIDERS, principal=BAD, admin=BAD),
        obj="isd_request",
        method="post",
        api=True,
        more=others(business_office=FORBIDDEN),
    ),
    Row(
        "api:isd-request-complete",
        api(**TEACHERS, principal=FORBIDDEN, admin=FORBIDDEN),
        obj="approved_request",
        method="post",
        api=True,
        data={"note": "Attended all three days"},
        more=others(business_office=FORBIDDEN),
    ),
    Row(
        "api:isd-request-reimburse",
        api(**TEACHERS, teacher=FORBIDDEN, principal=FORBIDDEN, admin=BAD),
        obj="isd_request",
        method="post",
        api=True,
        more=others(business_office=BAD),
    ),
    # The author or a decider cancels, saying why.
    Row(
        "api:isd-request-cancel",
        api(**TEACHERS, teacher=BAD, principal=BAD, admin=BAD),
        obj="isd_request",
        method="post",
        api=True,
        more=others(business_office=FORBIDDEN),
    ),
    Row(
        "api:isd-request-attachments",
        api(**TEACHERS, teacher=BAD, principal=FORBIDDEN, admin=FORBIDDEN),
        obj="isd_request",
        method="post",
        api=True,
        more=others(business_office=FORBIDDEN),
    ),
]

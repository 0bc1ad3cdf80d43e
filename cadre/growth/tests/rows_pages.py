"""Permission rows for the growth pages (see cadre/tests/permission_table.py).

In district A the teacher works at the principal's school and wrote `professional_goal`
(submitted), `draft_goal_personal`, `isd_request` (submitted, with `attachment`) and
`approved_request`. The program teacher, on the director's program staff, wrote `program_goal`
and `program_request`. The principal decides for the teacher, the director for the program
teacher, the admin for anyone; nobody else sees them (404). A step the state forbids, or a
successful one, sends the person back to the record (302); an empty form is a 400.
"""

from cadre.tests.permission_table import (
    BAD,
    FORBIDDEN,
    FOUND,
    MISSING,
    OK,
    Row,
    admin_only,
    others,
    page,
)

TEACHERS_OWN = page(director=MISSING)  # the author, their principal and the admin see it
PROGRAM_STAFFS = page(teacher=MISSING, principal=MISSING)  # the director and the admin


def author(ok=OK):
    """Only the author acts; their principal and the admin see it but may not (403)."""
    return page(teacher=ok, principal=FORBIDDEN, director=MISSING, admin=FORBIDDEN)


def decider(ok=FOUND):
    """The principal and the admin decide; the author may not (403)."""
    return page(teacher=FORBIDDEN, principal=ok, director=MISSING, admin=ok)


ROWS = [
    # --- professional goals
    Row("professional-goal-list", page()),
    Row("professional-goal-list", page(), query="year=abc"),
    Row("professional-goal-create", page()),
    Row(
        "professional-goal-create",
        page(teacher=BAD, principal=BAD, director=BAD, admin=BAD),
        method="post",
    ),
    Row("goal-status", page(teacher=FORBIDDEN)),
    Row("goal-status", page(teacher=FORBIDDEN), query="school=x&status=nope&needs_action=1"),
    Row("professional-goal-detail", TEACHERS_OWN, obj="professional_goal", more=others()),
    Row("professional-goal-detail", PROGRAM_STAFFS, obj="program_goal"),
    Row("professional-goal-edit", author(), obj="draft_goal_personal", more=others()),
    # Submitted: the author is sent back to the goal to withdraw it first.
    Row("professional-goal-edit", author(FOUND), obj="professional_goal", more=others()),
    Row(
        "professional-goal-autosave",
        author(BAD),
        obj="draft_goal_personal",
        method="post",
        more=others(),
    ),
    Row(
        "professional-goal-autosave",
        author(OK),
        obj="draft_goal_personal",
        method="post",
        data={"title": "Small groups, revised"},
        more=others(),
    ),
    Row(
        "professional-goal-submit",
        author(FOUND),
        obj="draft_goal_personal",
        method="post",
        more=others(),
    ),
    Row(
        "professional-goal-withdraw",
        author(FOUND),
        obj="professional_goal",
        method="post",
        more=others(),
    ),
    Row(
        "professional-goal-approve",
        decider(),
        obj="professional_goal",
        method="post",
        more=others(),
    ),
    Row(
        "professional-goal-approve",
        page(teacher=MISSING, principal=MISSING, director=FOUND, admin=FOUND),
        obj="program_goal",
        method="post",
    ),
    Row(
        "professional-goal-return",
        decider(BAD),
        obj="professional_goal",
        method="post",
        more=others(),
    ),
    Row(
        "professional-goal-return",
        decider(),
        obj="professional_goal",
        method="post",
        data={"comment": "Name the screener."},
        more=others(),
    ),
    # Not approved yet: the author is sent back to the goal.
    Row("professional-goal-reflect", author(FOUND), obj="professional_goal", more=others()),
    # --- ISD requests
    Row("isd-request-list", page()),
    Row("isd-request-list", page(), query="view=decide&status=x&year=0"),
    Row("isd-request-create", page()),
    Row(
        "isd-request-create",
        page(teacher=BAD, principal=BAD, director=BAD, admin=BAD),
        method="post",
    ),
    Row("isd-request-detail", TEACHERS_OWN, obj="isd_request", more=others(business_office=OK)),
    Row("isd-request-detail", PROGRAM_STAFFS, obj="program_request", more={"business_office": OK}),
    Row(
        "isd-request-approve",
        decider(),
        obj="isd_request",
        method="post",
        more=others(business_office=FORBIDDEN),
    ),
    Row(
        "isd-request-approve",
        page(teacher=MISSING, principal=MISSING, director=FOUND, admin=FOUND),
        obj="program_request",
        method="post",
        more={"business_office": FORBIDDEN},
    ),
    Row(
        "isd-request-deny",
        decider(BAD),
        obj="isd_request",
        method="post",
        more=others(business_office=FORBIDDEN),
    ),
    Row(
        "isd-request-complete",
        author(BAD),
        obj="approved_request",
        method="post",
        more=others(business_office=FORBIDDEN),
    ),
    Row(
        "isd-request-complete",
        author(FOUND),
        obj="approved_request",
        method="post",
        data={"note": "Attended all sessions."},
        more=others(business_office=FORBIDDEN),
    ),
    Row(
        "isd-request-reimburse",
        page(teacher=FORBIDDEN, principal=FORBIDDEN, director=MISSING, admin=BAD),
        obj="approved_request",
        method="post",
        more=others(business_office=BAD),
    ),
    # The author cancels their own; the principal may cancel one they decide.
    Row(
        "isd-request-cancel",
        page(teacher=BAD, principal=BAD, director=MISSING, admin=BAD),
        obj="isd_request",
        method="post",
        more=others(business_office=FORBIDDEN),
    ),
    Row(
        "isd-request-attach",
        author(BAD),
        obj="isd_request",
        method="post",
        more=others(business_office=FORBIDDEN),
    ),
    Row("isd-attachment", TEACHERS_OWN, obj="attachment", more=others(business_office=OK)),
    # --- ISD allotments
    Row("isd-allotment-list", page()),
    Row("isd-allotment-create", admin_only()),
    Row("isd-allotment-create", admin_only(ok=BAD), method="post"),
    Row("isd-allotment-edit", admin_only(), obj="allotment"),
]

"""Permission rows for the planning pages (see cadre/tests/permission_table.py).

Who is who in district A of the `world`: the principal leads `school`, which has a published
plan (`school_plan`, goal `school_goal`), a draft one (`draft_plan`, goal `draft_goal`), a draft
needs assessment taking input (`assessment`, with `priority` and a pending parent `input`) and
a submitted PD plan (`pd_plan`); the teacher works there; the director's program has none of
these. Teachers see published plans, final assessments and approved PD plans only, so the
school's drafts are 404 to them; a published plan they see but may not change is 403.
"""

from cadre.tests.permission_table import BAD, FORBIDDEN, FOUND, MISSING, OK, Row, others, page

SCHOOL_ONLY = page(teacher=MISSING, director=MISSING)
SCHOOL_POST = page(teacher=MISSING, director=MISSING, principal=FOUND, admin=FOUND)
SCHOOL_BAD_POST = page(teacher=MISSING, director=MISSING, principal=BAD, admin=BAD)
ADMIN_ON_DISTRICT = page(teacher=FORBIDDEN, principal=FORBIDDEN, director=FORBIDDEN)
LEADERS = page(teacher=FORBIDDEN)
EVERYONE_BAD = page(teacher=BAD, principal=BAD, director=BAD, admin=BAD)

ROWS = [
    # --- strategic plans and their goals
    Row("strategic-plan-list", page()),
    Row("strategic-plan-list", EVERYONE_BAD, query="school=abc"),
    Row("strategic-plan-create", LEADERS),
    Row(
        "strategic-plan-detail",
        page(director=MISSING),
        obj="school_plan",
        more=others(coach=OK, new_teacher=OK),
    ),
    Row("strategic-plan-detail", SCHOOL_ONLY, obj="draft_plan"),
    Row("strategic-plan-detail", page(), obj="district_plan"),
    Row(
        "strategic-plan-edit",
        page(teacher=FORBIDDEN, director=MISSING),
        obj="school_plan",
        more=others(coach=FORBIDDEN, new_teacher=FORBIDDEN),
    ),
    Row("strategic-plan-edit", ADMIN_ON_DISTRICT, obj="district_plan"),
    Row("strategic-plan-publish", SCHOOL_POST, obj="draft_plan", method="post"),
    # Published already: the refusal is a message on the plan's page.
    Row(
        "strategic-plan-publish",
        page(teacher=FORBIDDEN, director=MISSING, principal=FOUND, admin=FOUND),
        obj="school_plan",
        method="post",
        more=others(coach=FORBIDDEN, new_teacher=FORBIDDEN),
    ),
    Row("plan-goal-create", SCHOOL_ONLY, obj="draft_plan"),
    Row("plan-goal-create", ADMIN_ON_DISTRICT, obj="district_plan"),
    Row(
        "plan-goal-edit",
        page(teacher=FORBIDDEN, director=MISSING),
        obj="school_goal",
        more=others(coach=FORBIDDEN, new_teacher=FORBIDDEN),
    ),
    Row("plan-goal-edit", SCHOOL_ONLY, obj="draft_goal"),
    Row("plan-goal-edit", ADMIN_ON_DISTRICT, obj="district_goal"),
    # --- needs assessments: the school's leaders and administrators while it is a draft
    Row("needs-assessment-list", page()),
    Row("needs-assessment-list", EVERYONE_BAD, query="status=banana"),
    Row("needs-assessment-create", LEADERS),
    Row("needs-assessment-detail", SCHOOL_ONLY, obj="assessment"),
    Row("needs-assessment-edit", SCHOOL_ONLY, obj="assessment"),
    Row("needs-assessment-finalize", SCHOOL_POST, obj="assessment", method="post"),
    Row(
        "needs-assessment-link",
        SCHOOL_POST,
        obj="assessment",
        method="post",
        data={"action": "close"},
    ),
    Row("needs-assessment-link", SCHOOL_BAD_POST, obj="assessment", method="post"),
    Row("priority-add", SCHOOL_ONLY, obj="assessment"),
    Row("priority-edit", SCHOOL_ONLY, obj="priority"),
    Row("priority-move", SCHOOL_POST, obj="priority", method="post", data={"direction": "up"}),
    Row("priority-move", SCHOOL_BAD_POST, obj="priority", method="post", data={"rank": "top"}),
    Row("priority-move", SCHOOL_BAD_POST, obj="priority", method="post", data={"rank": "9"}),
    Row("priority-remove", SCHOOL_POST, obj="priority", method="post"),
    Row("needs-assessment-inputs", SCHOOL_ONLY, obj="assessment"),
    Row(
        "stakeholder-input-moderate",
        SCHOOL_POST,
        obj="input",
        method="post",
        data={"status": "accepted"},
    ),
    Row(
        "stakeholder-input-moderate",
        SCHOOL_BAD_POST,
        obj="input",
        method="post",
        data={"status": "shred"},
    ),
    # The school's staff give input to its draft; the director works elsewhere.
    Row(
        "needs-assessment-give-input",
        page(director=MISSING),
        obj="assessment",
        more=others(coach=OK, new_teacher=OK),
    ),
    # The public link, keyed by the world's token (see KEYED): anyone, signed in or not.
    Row("stakeholder-input", page(anon=OK)),
    # --- PD plans: the school's submitted plan is its leaders' until approved
    Row("pd-plan-list", page()),
    Row("pd-plan-list", EVERYONE_BAD, query="school_year=-1"),
    Row("pd-plan-create", LEADERS),
    Row("pd-plan-detail", SCHOOL_ONLY, obj="pd_plan"),
    # Submitted, so not editable: the edit page sends leaders back to the plan.
    Row("pd-plan-edit", SCHOOL_POST, obj="pd_plan"),
    Row("pd-plan-submit", SCHOOL_POST, obj="pd_plan", method="post"),
    Row("pd-plan-approve", SCHOOL_POST, obj="pd_plan", method="post"),
    Row(
        "pd-plan-return",
        SCHOOL_POST,
        obj="pd_plan",
        method="post",
        data={"comment": "Say more about PLCs."},
    ),
    Row("pd-plan-return", SCHOOL_BAD_POST, obj="pd_plan", method="post"),
]

"""Permission rows for the planning API (see cadre/tests/permission_table.py).

Who is who in district A of the `world`: the principal leads `school`, which has a published
plan (`school_plan`), a draft one (`draft_plan`), a draft needs assessment taking input
(`assessment`) and a submitted PD plan (`pd_plan`); the teacher works there; the director's
program has none of these. Detail actions ask access before they read the body, so an empty
POST is 403 for a refused role and 400 (or the service's answer) for a permitted one.
"""

from cadre.tests.permission_table import BAD, CONFLICT, FORBIDDEN, MISSING, OK, Row, api, others

LEADERS_WRITE = api(teacher=FORBIDDEN, principal=BAD, director=BAD, admin=BAD)
# The school's own records: its leaders and administrators, nobody else.
SCHOOL_ONLY = {"teacher": MISSING, "director": MISSING}

ROWS: list[Row] = [
    # --- strategic plans: published ones for everyone they cover, drafts for their editors
    Row("api:strategic-plan-list", api(), api=True),
    Row("api:strategic-plan-list", LEADERS_WRITE, method="post", api=True),
    Row(
        "api:strategic-plan-detail",
        api(director=MISSING),
        obj="school_plan",
        api=True,
        more=others(coach=OK, new_teacher=OK),
    ),
    Row("api:strategic-plan-detail", api(**SCHOOL_ONLY), obj="draft_plan", api=True),
    Row("api:strategic-plan-detail", api(), obj="district_plan", api=True),
    Row(
        "api:strategic-plan-detail",
        api(teacher=FORBIDDEN, director=MISSING),
        obj="school_plan",
        method="patch",
        api=True,
        more=others(coach=FORBIDDEN, new_teacher=FORBIDDEN),
    ),
    Row(
        "api:strategic-plan-detail",
        api(teacher=FORBIDDEN, principal=FORBIDDEN, director=FORBIDDEN),
        obj="district_plan",
        method="patch",
        api=True,
    ),
    # The school plan is published already.
    Row(
        "api:strategic-plan-publish",
        api(teacher=FORBIDDEN, principal=CONFLICT, director=MISSING, admin=CONFLICT),
        obj="school_plan",
        method="post",
        api=True,
        more=others(coach=FORBIDDEN, new_teacher=FORBIDDEN),
    ),
    Row(
        "api:strategic-plan-publish",
        api(**SCHOOL_ONLY),
        obj="draft_plan",
        method="post",
        api=True,
    ),
    # --- goals of plans
    Row("api:plan-goal-list", api(), api=True),
    Row("api:plan-goal-list", LEADERS_WRITE, method="post", api=True),
    Row(
        "api:plan-goal-detail",
        api(director=MISSING),
        obj="school_goal",
        api=True,
        more=others(coach=OK, new_teacher=OK),
    ),
    Row("api:plan-goal-detail", api(**SCHOOL_ONLY), obj="draft_goal", api=True),
    Row(
        "api:plan-goal-detail",
        api(teacher=FORBIDDEN, director=MISSING),
        obj="school_goal",
        method="patch",
        api=True,
        more=others(coach=FORBIDDEN, new_teacher=FORBIDDEN),
    ),
    # --- needs assessments: a draft is the school leaders' (and administrators') alone
    Row("api:needs-assessment-list", api(), api=True),
    Row("api:needs-assessment-list", LEADERS_WRITE, method="post", api=True),
    Row("api:needs-assessment-detail", api(**SCHOOL_ONLY), obj="assessment", api=True),
    Row(
        "api:needs-assessment-detail",
        api(**SCHOOL_ONLY),
        obj="assessment",
        method="patch",
        api=True,
    ),
    Row(
        "api:needs-assessment-finalize",
        api(**SCHOOL_ONLY),
        obj="assessment",
        method="post",
        api=True,
    ),
    # An empty form is an unticked box: the link closes.
    Row(
        "api:needs-assessment-link",
        api(**SCHOOL_ONLY),
        obj="assessment",
        method="post",
        api=True,
    ),
    Row(
        "api:needs-assessment-priorities",
        api(**SCHOOL_ONLY, principal=BAD, admin=BAD),
        obj="assessment",
        method="post",
        api=True,
    ),
    Row("api:needs-assessment-inputs", api(**SCHOOL_ONLY), obj="assessment", api=True),
    Row(
        "api:needs-assessment-moderate",
        api(**SCHOOL_ONLY, principal=BAD, admin=BAD),
        obj="assessment",
        method="post",
        api=True,
    ),
    # --- PD plans: submitted, so not editable; the principal or an administrator decides
    Row("api:pd-plan-list", api(), api=True),
    Row("api:pd-plan-list", LEADERS_WRITE, method="post", api=True),
    Row("api:pd-plan-detail", api(**SCHOOL_ONLY), obj="pd_plan", api=True),
    Row(
        "api:pd-plan-detail",
        api(**SCHOOL_ONLY, principal=CONFLICT, admin=CONFLICT),
        obj="pd_plan",
        method="patch",
        api=True,
    ),
    Row(
        "api:pd-plan-submit",
        api(**SCHOOL_ONLY, principal=CONFLICT, admin=CONFLICT),
        obj="pd_plan",
        method="post",
        api=True,
    ),
    Row("api:pd-plan-approve", api(**SCHOOL_ONLY), obj="pd_plan", method="post", api=True),
    # A return needs its comment.
    Row(
        "api:pd-plan-return",
        api(**SCHOOL_ONLY, principal=BAD, admin=BAD),
        obj="pd_plan",
        method="post",
        api=True,
    ),
]

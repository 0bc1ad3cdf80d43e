"""Permission rows for the funding pages (see cadre/tests/permission_table.py).

In district A the principal leads the school whose Title I budget is `budget`; the director
runs the program that owns the Title I source, so sees every budget it funds; the teacher
works at the principal's school and is covered by the program's published plan.
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

MONEY = page(teacher=FORBIDDEN)  # principals, directors and admins: their own budgets
HIDDEN_FROM_TEACHER = page(teacher=MISSING)
ADMIN_ON_BUDGET = page(teacher=MISSING, principal=FORBIDDEN, director=FORBIDDEN)
ADMIN_POST_ON_BUDGET = page(teacher=MISSING, principal=FORBIDDEN, director=FORBIDDEN, admin=FOUND)
ADMIN_POST = page(teacher=FORBIDDEN, principal=FORBIDDEN, director=FORBIDDEN, admin=FOUND)
DIRECTOR_POST = page(teacher=FORBIDDEN, principal=FORBIDDEN, director=FOUND, admin=FOUND)
DIRECTOR_PAGE = page(teacher=FORBIDDEN, principal=FORBIDDEN)

ROWS = [
    Row("funding-dashboard", MONEY, more={"business_office": OK}),
    Row("funding-export-csv", MONEY, more={"business_office": OK}),
    Row("funding-export-xlsx", MONEY, more={"business_office": OK}),
    Row("funding-source-list", MONEY, more={"business_office": OK}),
    Row("funding-source-create", admin_only()),
    Row("funding-source-detail", HIDDEN_FROM_TEACHER, obj="source", more={"business_office": OK}),
    Row("funding-source-edit", ADMIN_ON_BUDGET, obj="source", more={"business_office": FORBIDDEN}),
    Row("budget-create", admin_only()),
    Row("budget-detail", HIDDEN_FROM_TEACHER, obj="budget", more={"business_office": OK}),
    # Another school's budget: hidden from this principal; the director owns its source.
    Row(
        "budget-detail",
        page(teacher=MISSING, principal=MISSING),
        obj="other_budget",
        more={"business_office": OK},
    ),
    Row("budget-edit", ADMIN_ON_BUDGET, obj="budget", more={"business_office": FORBIDDEN}),
    Row("budget-post", ADMIN_ON_BUDGET, obj="budget", more={"business_office": OK}),
    Row("budget-transfer", HIDDEN_FROM_TEACHER, obj="budget", more={"business_office": OK}),
    Row("transfer-list", MONEY, more={"business_office": OK}),
    Row("transfer-detail", HIDDEN_FROM_TEACHER, obj="transfer", more={"business_office": OK}),
    Row(
        "transfer-approve",
        ADMIN_POST_ON_BUDGET,
        obj="transfer",
        method="post",
        more={"business_office": FORBIDDEN},
    ),
    Row(
        "transfer-reject",
        ADMIN_POST_ON_BUDGET,
        obj="transfer",
        method="post",
        more={"business_office": FORBIDDEN},
    ),
    Row("fiscal-year-list", MONEY, more={"business_office": OK}),
    Row("fiscal-year-close", ADMIN_POST, obj="fiscal_year", method="post"),
    Row("stipend-award-list", page()),
    Row("stipend-award-create", admin_only()),
    Row("stipend-award-detail", page(), obj="award", more=others(business_office=OK)),
    # The program teacher's award: not at the principal's school, not the teacher's own.
    Row(
        "stipend-award-detail",
        page(teacher=MISSING, principal=MISSING),
        obj="paid_award",
        more={"business_office": OK},
    ),
    Row(
        "stipend-award-approve",
        ADMIN_POST,
        obj="award",
        method="post",
        more=others(business_office=FORBIDDEN),
    ),
    Row(
        "stipend-award-cancel",
        ADMIN_POST,
        obj="award",
        method="post",
        more=others(business_office=FORBIDDEN),
    ),
    Row("stipend-schedule-list", page()),
    Row("stipend-schedule-create", admin_only()),
    Row("stipend-schedule-edit", admin_only(), obj="schedule"),
    Row("payroll", admin_only(), more={"business_office": OK}),
    Row(
        "payroll", admin_only(ok=BAD), method="post", more={"business_office": BAD}
    ),  # an empty batch is refused
    Row("payroll-batch-csv", admin_only(others=MISSING), obj="batch", more={"business_office": OK}),
    Row("program-plan-list", page()),
    Row("program-plan-create", DIRECTOR_PAGE),
    Row(
        "program-plan-detail", page(), obj="plan", more={"mentor": MISSING, "coordinator": MISSING}
    ),
    # The world's plan is published, so its edit page sends the director back to it.
    Row(
        "program-plan-edit",
        DIRECTOR_POST,
        obj="plan",
        more={"mentor": MISSING, "coordinator": MISSING},
    ),
    Row(
        "program-plan-activity-add",
        DIRECTOR_POST,
        obj="plan",
        method="post",
        more={"mentor": MISSING, "coordinator": MISSING},
    ),
    Row(
        "program-plan-allocation-add",
        DIRECTOR_POST,
        obj="plan",
        method="post",
        more={"mentor": MISSING, "coordinator": MISSING},
    ),
    Row(
        "program-plan-activity-remove",
        DIRECTOR_POST,
        obj="activity",
        method="post",
        more={"mentor": MISSING, "coordinator": MISSING},
    ),
    Row(
        "program-plan-allocation-remove",
        DIRECTOR_POST,
        obj="allocation",
        method="post",
        more={"mentor": MISSING, "coordinator": MISSING},
    ),
    Row(
        "program-plan-publish",
        DIRECTOR_POST,
        obj="plan",
        method="post",
        more={"mentor": MISSING, "coordinator": MISSING},
    ),
    # Those the plan covers acknowledge it; the district administrator is not covered.
    Row(
        "program-plan-acknowledge",
        page(teacher=FOUND, principal=FOUND, director=FOUND, admin=FORBIDDEN),
        obj="plan",
        method="post",
        more={"mentor": MISSING, "coordinator": MISSING, "business_office": FORBIDDEN},
    ),
    Row(
        "program-plan-acknowledgements",
        DIRECTOR_PAGE,
        obj="plan",
        more={"mentor": MISSING, "coordinator": MISSING},
    ),
]

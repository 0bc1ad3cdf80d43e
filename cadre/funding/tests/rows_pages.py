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
    Row,
    admin_only,
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
    Row("funding-dashboard", MONEY),
    Row("funding-export-csv", MONEY),
    Row("funding-export-xlsx", MONEY),
    Row("funding-source-list", MONEY),
    Row("funding-source-create", admin_only()),
    Row("funding-source-detail", HIDDEN_FROM_TEACHER, obj="source"),
    Row("funding-source-edit", ADMIN_ON_BUDGET, obj="source"),
    Row("budget-create", admin_only()),
    Row("budget-detail", HIDDEN_FROM_TEACHER, obj="budget"),
    # Another school's budget: hidden from this principal; the director owns its source.
    Row("budget-detail", page(teacher=MISSING, principal=MISSING), obj="other_budget"),
    Row("budget-edit", ADMIN_ON_BUDGET, obj="budget"),
    Row("budget-post", ADMIN_ON_BUDGET, obj="budget"),
    Row("budget-transfer", HIDDEN_FROM_TEACHER, obj="budget"),
    Row("transfer-list", MONEY),
    Row("transfer-detail", HIDDEN_FROM_TEACHER, obj="transfer"),
    Row("transfer-approve", ADMIN_POST_ON_BUDGET, obj="transfer", method="post"),
    Row("transfer-reject", ADMIN_POST_ON_BUDGET, obj="transfer", method="post"),
    Row("fiscal-year-list", MONEY),
    Row("fiscal-year-close", ADMIN_POST, obj="fiscal_year", method="post"),
    Row("stipend-award-list", page()),
    Row("stipend-award-create", admin_only()),
    Row("stipend-award-detail", page(), obj="award"),
    # The program teacher's award: not at the principal's school, not the teacher's own.
    Row("stipend-award-detail", page(teacher=MISSING, principal=MISSING), obj="paid_award"),
    Row("stipend-award-approve", ADMIN_POST, obj="award", method="post"),
    Row("stipend-award-cancel", ADMIN_POST, obj="award", method="post"),
    Row("stipend-schedule-list", page()),
    Row("stipend-schedule-create", admin_only()),
    Row("stipend-schedule-edit", admin_only(), obj="schedule"),
    Row("payroll", admin_only()),
    Row("payroll", admin_only(ok=BAD), method="post"),  # an empty batch is refused
    Row("payroll-batch-csv", admin_only(others=MISSING), obj="batch"),
    Row("program-plan-list", page()),
    Row("program-plan-create", DIRECTOR_PAGE),
    Row("program-plan-detail", page(), obj="plan"),
    # The world's plan is published, so its edit page sends the director back to it.
    Row("program-plan-edit", DIRECTOR_POST, obj="plan"),
    Row("program-plan-activity-add", DIRECTOR_POST, obj="plan", method="post"),
    Row("program-plan-allocation-add", DIRECTOR_POST, obj="plan", method="post"),
    Row("program-plan-activity-remove", DIRECTOR_POST, obj="activity", method="post"),
    Row("program-plan-allocation-remove", DIRECTOR_POST, obj="allocation", method="post"),
    Row("program-plan-publish", DIRECTOR_POST, obj="plan", method="post"),
    # Those the plan covers acknowledge it; the district administrator is not covered.
    Row(
        "program-plan-acknowledge",
        page(teacher=FOUND, principal=FOUND, director=FOUND, admin=FORBIDDEN),
        obj="plan",
        method="post",
    ),
    Row("program-plan-acknowledgements", DIRECTOR_PAGE, obj="plan"),
]

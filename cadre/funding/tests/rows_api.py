"""Permission rows for the funding API (see cadre/tests/permission_table.py).

Who is who in district A of the `world`: the principal leads `school`, which holds `budget`; the
director's program owns the Title I source, so the director sees every budget of it; the
teacher works at `school`, holds no budget and is the subject of `award`. Detail actions ask
access before they read the body, so an empty POST is 403 for a refused role and 400 (or the
service's answer) for a permitted one.
"""

from cadre.tests.permission_table import BAD, CONFLICT, FORBIDDEN, MISSING, OK, Row, api, others

ADMIN_WRITES = {"teacher": FORBIDDEN, "principal": FORBIDDEN, "director": FORBIDDEN}
MONEY_LISTS = api(teacher=FORBIDDEN)

ROWS: list[Row] = [
    # --- funding sources: principals and directors see the sources of their budgets
    Row("api:funding-source-list", MONEY_LISTS, api=True, more={"business_office": OK}),
    Row("api:funding-source-list", api(**ADMIN_WRITES, admin=BAD), method="post", api=True),
    Row(
        "api:funding-source-detail",
        api(teacher=MISSING),
        obj="source",
        api=True,
        more={"business_office": OK},
    ),
    Row(
        "api:funding-source-detail",
        api(teacher=MISSING, principal=FORBIDDEN, director=FORBIDDEN),
        obj="source",
        method="patch",
        api=True,
        more={"business_office": FORBIDDEN},
    ),
    # --- budgets
    Row("api:budget-list", MONEY_LISTS, api=True, more={"business_office": OK}),
    Row("api:budget-list", api(**ADMIN_WRITES, admin=BAD), method="post", api=True),
    Row(
        "api:budget-detail",
        api(teacher=MISSING),
        obj="budget",
        api=True,
        more={"business_office": OK},
    ),
    # Another school's budget: not the principal's; the director sees it through the source.
    Row(
        "api:budget-detail",
        api(teacher=MISSING, principal=MISSING),
        obj="other_budget",
        api=True,
        more={"business_office": OK},
    ),
    Row(
        "api:budget-detail",
        api(teacher=MISSING, principal=FORBIDDEN, director=FORBIDDEN),
        obj="budget",
        method="patch",
        api=True,
        more={"business_office": FORBIDDEN},
    ),
    # Posting is for the district office; an empty body is then a 400.
    Row(
        "api:budget-post",
        api(teacher=MISSING, principal=FORBIDDEN, director=FORBIDDEN, admin=BAD),
        obj="budget",
        method="post",
        api=True,
        more={"business_office": BAD},
    ),
    # Holders ask to move money out of their budgets.
    Row(
        "api:budget-transfer",
        api(teacher=MISSING, principal=BAD, director=BAD, admin=BAD),
        obj="budget",
        method="post",
        api=True,
        more={"business_office": BAD},
    ),
    # --- the ledger: read-only (PATCH and DELETE answer 405 to anyone signed in; see test_api.py)
    Row("api:ledger-entry-list", MONEY_LISTS, api=True, more={"business_office": OK}),
    Row(
        "api:ledger-entry-detail",
        api(teacher=MISSING),
        obj="entry",
        api=True,
        more={"business_office": OK},
    ),
    # --- transfers: the parties see them; a district administrator decides
    Row("api:budget-transfer-list", MONEY_LISTS, api=True, more={"business_office": OK}),
    Row(
        "api:budget-transfer-detail",
        api(teacher=MISSING),
        obj="transfer",
        api=True,
        more={"business_office": OK},
    ),
    Row(
        "api:budget-transfer-approve",
        api(teacher=MISSING, principal=FORBIDDEN, director=FORBIDDEN),
        obj="transfer",
        method="post",
        api=True,
        more={"business_office": FORBIDDEN},
    ),
    # Rejecting needs a note.
    Row(
        "api:budget-transfer-reject",
        api(teacher=MISSING, principal=FORBIDDEN, director=FORBIDDEN, admin=BAD),
        obj="transfer",
        method="post",
        api=True,
        more={"business_office": FORBIDDEN},
    ),
    # --- fiscal years: every row is visible in the district, but only to money people
    Row("api:fiscal-year-list", MONEY_LISTS, api=True, more={"business_office": OK}),
    Row(
        "api:fiscal-year-detail",
        api(teacher=FORBIDDEN),
        obj="fiscal_year",
        api=True,
        more={"business_office": OK},
    ),
    # The world's fiscal year is the current one: it has not ended, so it cannot close yet.
    Row(
        "api:fiscal-year-close",
        api(**ADMIN_WRITES, admin=CONFLICT),
        obj="fiscal_year",
        method="post",
        api=True,
    ),
    # --- stipends
    Row("api:stipend-schedule-list", api(), api=True),
    Row("api:stipend-schedule-list", api(**ADMIN_WRITES, admin=BAD), method="post", api=True),
    Row("api:stipend-schedule-detail", api(), obj="schedule", api=True),
    Row(
        "api:stipend-schedule-detail",
        api(**ADMIN_WRITES),
        obj="schedule",
        method="patch",
        api=True,
    ),
    # Everyone lists awards: their own, their staff's, those on their budgets, or all.
    Row("api:stipend-award-list", api(), api=True),
    Row("api:stipend-award-list", api(**ADMIN_WRITES, admin=BAD), method="post", api=True),
    Row("api:stipend-award-detail", api(), obj="award", api=True, more=others(business_office=OK)),
    # The program teacher's award, on the program's budget: the director's, not the school's.
    Row(
        "api:stipend-award-detail",
        api(teacher=MISSING, principal=MISSING),
        obj="paid_award",
        api=True,
        more={"business_office": OK},
    ),
    # $1,500 on a budget with $900 left: access lets the admin in, the balance refuses.
    Row(
        "api:stipend-award-approve",
        api(**ADMIN_WRITES, admin=CONFLICT),
        obj="award",
        method="post",
        api=True,
        more=others(business_office=FORBIDDEN),
    ),
    Row(
        "api:stipend-award-cancel",
        api(**ADMIN_WRITES),
        obj="award",
        method="post",
        api=True,
        more=others(business_office=FORBIDDEN),
    ),
    # --- payroll: the district office only
    Row(
        "api:payroll-batch-list",
        api(teacher=FORBIDDEN, principal=FORBIDDEN, director=FORBIDDEN),
        api=True,
        more={"business_office": OK},
    ),
    Row(
        "api:payroll-batch-list",
        api(**ADMIN_WRITES, admin=BAD),
        method="post",
        api=True,
        more={"business_office": BAD},
    ),
    Row(
        "api:payroll-batch-detail",
        api(teacher=MISSING, principal=MISSING, director=MISSING),
        obj="batch",
        api=True,
        more={"business_office": OK},
    ),
    # --- program PD plans: published, covering the school and the program
    Row("api:program-plan-list", api(), api=True),
    Row(
        "api:program-plan-list",
        api(teacher=FORBIDDEN, principal=FORBIDDEN, director=BAD, admin=BAD),
        method="post",
        api=True,
    ),
    Row(
        "api:program-plan-detail",
        api(),
        obj="plan",
        api=True,
        more={"mentor": MISSING, "coordinator": MISSING},
    ),
    # A published plan is final.
    Row(
        "api:program-plan-detail",
        api(teacher=FORBIDDEN, principal=FORBIDDEN, director=CONFLICT, admin=CONFLICT),
        obj="plan",
        method="patch",
        api=True,
        more={"mentor": MISSING, "coordinator": MISSING},
    ),
    Row(
        "api:program-plan-publish",
        api(teacher=FORBIDDEN, principal=FORBIDDEN, director=CONFLICT, admin=CONFLICT),
        obj="plan",
        method="post",
        api=True,
        more={"mentor": MISSING, "coordinator": MISSING},
    ),
    # The staff it covers acknowledge it; the district administrator is not one of them.
    Row(
        "api:program-plan-acknowledge",
        api(admin=FORBIDDEN),
        obj="plan",
        method="post",
        api=True,
        more={"mentor": MISSING, "coordinator": MISSING, "business_office": FORBIDDEN},
    ),
    Row(
        "api:program-plan-activities",
        api(teacher=FORBIDDEN, principal=FORBIDDEN, director=BAD, admin=BAD),
        obj="plan",
        method="post",
        api=True,
        more={"mentor": MISSING, "coordinator": MISSING},
    ),
    Row(
        "api:program-plan-allocations",
        api(teacher=FORBIDDEN, principal=FORBIDDEN, director=BAD, admin=BAD),
        obj="plan",
        method="post",
        api=True,
        more={"mentor": MISSING, "coordinator": MISSING},
    ),
    Row(
        "api:program-plan-acknowledgements",
        api(teacher=FORBIDDEN, principal=FORBIDDEN),
        obj="plan",
        api=True,
        more={"mentor": MISSING, "coordinator": MISSING},
    ),
]

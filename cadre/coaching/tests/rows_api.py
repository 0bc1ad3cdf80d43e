"""Permission rows for the coaching API (see cadre/tests/permission_table.py).

Who is who in district A of the `world`: an instructional coach (not one of the table's
roles) coaches the teacher in `cycle`, with `observation`, a shared coaching observation; the
principal's `walkthrough` of the teacher is shared. A cycle and a coaching observation are the
pair's alone: the principal, the director and the administrator get 404 (ARCHITECTURE rule 3).
The walkthrough is the principal's and the teacher's. Rubrics and look-fors are everyone's to
read; administrators define rubrics; administrators and directors (and coaches) keep
look-fors. Detail actions ask access before they read the body, so an empty POST is 403 for a
refused role and 400 (or the service's answer) for a permitted one.
"""

from cadre.tests.permission_table import BAD, CONFLICT, FORBIDDEN, MISSING, OK, Row, api, others

PAIR_ONLY = {"principal": MISSING, "director": MISSING, "admin": MISSING}
NOT_COACHES = {"teacher": FORBIDDEN, "principal": FORBIDDEN, "director": FORBIDDEN}
WALKTHROUGH = {"director": MISSING, "admin": MISSING}  # the principal's and the teacher's
ADMINS = {"teacher": FORBIDDEN, "principal": FORBIDDEN, "director": FORBIDDEN}
KEEPERS = {"teacher": FORBIDDEN, "principal": FORBIDDEN}

ROWS: list[Row] = [
    # --- coaching cycles: the pair only; instructional coaches open them
    Row("api:coaching-cycle-list", api(), api=True),
    Row(
        "api:coaching-cycle-list",
        api(**NOT_COACHES, admin=FORBIDDEN),
        method="post",
        api=True,
        more={"coach": BAD},
    ),
    Row(
        "api:coaching-cycle-detail", api(**PAIR_ONLY), obj="cycle", api=True, more=others(coach=OK)
    ),
    # The coach changes and moves it; the teacher reflects.
    Row(
        "api:coaching-cycle-detail",
        api(**PAIR_ONLY, teacher=FORBIDDEN),
        obj="cycle",
        method="patch",
        api=True,
        more=others(coach=OK),
    ),
    Row(
        "api:coaching-cycle-advance",
        api(**PAIR_ONLY, teacher=FORBIDDEN),
        obj="cycle",
        method="post",
        api=True,
        more=others(coach=OK),
    ),
    Row(
        "api:coaching-cycle-reflect",
        api(**PAIR_ONLY, teacher=BAD),
        obj="cycle",
        method="post",
        api=True,
        more=others(coach=FORBIDDEN),
    ),
    # --- observations: the observer's, and the teacher's once shared
    Row("api:observation-list", api(), api=True),
    Row(
        "api:observation-list",
        api(teacher=BAD, principal=BAD, director=BAD, admin=BAD),
        method="post",
        api=True,
    ),
    Row(
        "api:observation-detail",
        api(**PAIR_ONLY),
        obj="observation",
        api=True,
        more=others(coach=OK),
    ),
    Row("api:observation-detail", api(**WALKTHROUGH), obj="walkthrough", api=True, more=others()),
    # Only the observer autosaves, and only a draft.
    Row(
        "api:observation-detail",
        api(**PAIR_ONLY, teacher=FORBIDDEN),
        obj="observation",
        method="patch",
        api=True,
        more=others(coach=CONFLICT),
    ),
    Row(
        "api:observation-detail",
        api(**WALKTHROUGH, teacher=FORBIDDEN, principal=CONFLICT),
        obj="walkthrough",
        method="patch",
        api=True,
        more=others(),
    ),
    Row(
        "api:observation-share",
        api(**WALKTHROUGH, teacher=FORBIDDEN, principal=CONFLICT),
        obj="walkthrough",
        method="post",
        api=True,
        more=others(),
    ),
    # The observed teacher acknowledges.
    Row(
        "api:observation-acknowledge",
        api(**PAIR_ONLY, teacher=OK),
        obj="observation",
        method="post",
        api=True,
        more=others(coach=FORBIDDEN),
    ),
    Row(
        "api:observation-acknowledge",
        api(**WALKTHROUGH, teacher=OK, principal=FORBIDDEN),
        obj="walkthrough",
        method="post",
        api=True,
        more=others(),
    ),
    # Implementation rates: PD leaders, aggregated.
    Row("api:observation-implementation", api(teacher=FORBIDDEN), api=True),
    # --- rubrics: everyone reads; administrators define
    Row("api:rubric-list", api(), api=True),
    Row("api:rubric-list", api(**ADMINS, admin=BAD), method="post", api=True),
    Row("api:rubric-detail", api(), obj="rubric", api=True),
    Row("api:rubric-detail", api(**ADMINS), obj="rubric", method="patch", api=True),
    Row("api:rubric-domains", api(**ADMINS, admin=BAD), obj="rubric", method="post", api=True),
    Row("api:rubric-components", api(**ADMINS, admin=BAD), obj="rubric", method="post", api=True),
    # --- look-fors: everyone reads; administrators, directors and coaches keep them
    Row("api:look-for-list", api(), api=True),
    Row(
        "api:look-for-list",
        api(**KEEPERS, director=BAD, admin=BAD),
        method="post",
        api=True,
        more={"coach": BAD},
    ),
    Row("api:look-for-detail", api(), obj="look_for", api=True),
    Row(
        "api:look-for-detail",
        api(**KEEPERS),
        obj="look_for",
        method="patch",
        api=True,
        more={"coach": OK},
    ),
    Row(
        "api:look-for-items",
        api(**KEEPERS, director=BAD, admin=BAD),
        obj="look_for",
        method="post",
        api=True,
        more={"coach": BAD},
    ),
    Row(
        "api:look-for-remove-item",
        api(**KEEPERS, director=BAD, admin=BAD),
        obj="look_for",
        method="post",
        api=True,
        more={"coach": BAD},
    ),
]

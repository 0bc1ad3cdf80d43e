"""Permission rows for the coaching pages (see cadre/tests/permission_table.py).

In district A an instructional coach (not one of the table's roles) coaches the teacher
(`cycle`, at the observation stage) and shared a rated `observation` of them; the principal
shared a `walkthrough` of the teacher on the offering's `look_for`; the new teacher asked to
visit the teacher's classroom (`visit`, requested). The cycle and the coaching observation
are the pair's alone: the principal, the director and the admin get 404 (ARCHITECTURE rule
3). The walkthrough is its observer's (the principal) and the teacher's.
"""

from cadre.tests.permission_table import (
    BAD,
    CONFLICT,
    FORBIDDEN,
    FOUND,
    MISSING,
    OK,
    Row,
    admin_only,
    others,
    page,
)

PAIR = page(principal=MISSING, director=MISSING, admin=MISSING)  # the teacher of the pair
COACH_ONLY = page(teacher=FORBIDDEN, principal=MISSING, director=MISSING, admin=MISSING)
COACHES = page(teacher=FORBIDDEN, principal=FORBIDDEN, director=FORBIDDEN, admin=FORBIDDEN)
FOLLOWERS = page(teacher=FORBIDDEN)  # school leaders, directors, admins (and coaches)
KEEPERS = page(teacher=FORBIDDEN, principal=FORBIDDEN)  # look-fors: directors, admins, coaches
KEEPERS_POST = page(teacher=FORBIDDEN, principal=FORBIDDEN, director=FOUND, admin=FOUND)
KEEPERS_BAD = page(teacher=FORBIDDEN, principal=FORBIDDEN, director=BAD, admin=BAD)
WALK_PAIR = page(director=MISSING, admin=MISSING)  # the walkthrough: principal and teacher
ALL_BAD = page(teacher=BAD, principal=BAD, director=BAD, admin=BAD)

ROWS = [
    Row("coaching-home", page()),
    # --- cycles
    Row("coaching-cycle-list", page()),
    Row("coaching-cycle-list", page(), query="role=bogus&stage=%01&year=abc&page=x"),
    Row("coaching-cycle-create", COACHES, more={"coach": OK}),
    Row("coaching-cycle-create", COACHES, method="post", more={"coach": BAD}),
    Row("coaching-cycle-detail", PAIR, obj="cycle", more=others(coach=OK)),
    Row("coaching-cycle-edit", COACH_ONLY, obj="cycle", more=others(coach=OK)),
    Row("coaching-cycle-edit", COACH_ONLY, obj="cycle", method="post", more=others(coach=BAD)),
    Row("coaching-cycle-advance", COACH_ONLY, obj="cycle", method="post", more=others(coach=FOUND)),
    Row(
        "coaching-cycle-reflect",
        page(teacher=BAD, principal=MISSING, director=MISSING, admin=MISSING),
        obj="cycle",
        method="post",
        more=others(coach=FORBIDDEN),
    ),
    # --- observations
    Row("observation-list", page()),
    Row("observation-list", page(), query="side=x&kind=%01&status=bogus"),
    Row("observation-create", page()),
    Row("observation-create", ALL_BAD, method="post"),
    Row(
        "observation-create", page(teacher=FORBIDDEN), query="kind=walkthrough", more={"coach": OK}
    ),
    Row(
        "observation-create",
        page(teacher=FORBIDDEN, principal=BAD, director=BAD, admin=BAD),
        method="post",
        query="kind=walkthrough",
        more={"coach": BAD},
    ),
    Row(
        "observation-create",
        page(teacher=FORBIDDEN),
        query="kind=walkthrough&school=99999999999999999999&teacher=x&look_for=-1",
        more={"coach": OK},
    ),
    Row(
        "observation-create",
        page(teacher=MISSING, principal=MISSING, director=MISSING, admin=MISSING),
        query="cycle=abc",
    ),
    Row(
        "observation-create",
        page(teacher=MISSING, principal=MISSING, director=MISSING, admin=MISSING),
        query="visit=99999999999999999999",
    ),
    Row("observation-detail", PAIR, obj="observation", more=others(coach=OK)),
    Row("observation-detail", WALK_PAIR, obj="walkthrough", more=others()),
    # Shared observations no longer change: the observer is sent to the read page.
    Row("observation-edit", COACH_ONLY, obj="observation", more=others(coach=FOUND)),
    Row(
        "observation-edit",
        page(teacher=FORBIDDEN, principal=FOUND, director=MISSING, admin=MISSING),
        obj="walkthrough",
        more=others(),
    ),
    Row(
        "observation-autosave",
        COACH_ONLY,
        obj="observation",
        method="post",
        more=others(coach=CONFLICT),
    ),
    Row(
        "observation-autosave",
        page(teacher=FORBIDDEN, principal=CONFLICT, director=MISSING, admin=MISSING),
        obj="walkthrough",
        method="post",
        more=others(),
    ),
    Row(
        "observation-share", COACH_ONLY, obj="observation", method="post", more=others(coach=FOUND)
    ),
    Row(
        "observation-share",
        page(teacher=FORBIDDEN, principal=FOUND, director=MISSING, admin=MISSING),
        obj="walkthrough",
        method="post",
        more=others(),
    ),
    Row(
        "observation-acknowledge",
        page(teacher=FOUND, principal=MISSING, director=MISSING, admin=MISSING),
        obj="observation",
        method="post",
        more=others(coach=FORBIDDEN),
    ),
    Row(
        "observation-acknowledge",
        page(teacher=FOUND, principal=FORBIDDEN, director=MISSING, admin=MISSING),
        obj="walkthrough",
        method="post",
        more=others(),
    ),
    # --- rubrics (the world's rubric is in use: its components stay)
    Row("rubric-list", page()),
    Row("rubric-list", page(), query="active=maybe"),
    Row("rubric-create", admin_only()),
    Row("rubric-create", admin_only(ok=BAD), method="post"),
    Row("rubric-detail", page(), obj="rubric"),
    Row("rubric-edit", admin_only(), obj="rubric"),
    Row("rubric-edit", admin_only(ok=BAD), obj="rubric", method="post"),
    Row("rubric-domain-create", admin_only(), obj="rubric"),
    Row("rubric-domain-create", admin_only(ok=BAD), obj="rubric", method="post"),
    Row("rubric-domain-edit", admin_only(), obj="domain"),
    Row("rubric-domain-delete", admin_only(ok=FOUND), obj="domain", method="post"),
    Row("rubric-component-create", admin_only(), obj="domain"),
    Row("rubric-component-create", admin_only(ok=BAD), obj="domain", method="post"),
    Row("rubric-component-edit", admin_only(), obj="component"),
    Row("rubric-component-edit", admin_only(ok=BAD), obj="component", method="post"),
    Row("rubric-component-delete", admin_only(ok=FOUND), obj="component", method="post"),
    # --- look-fors
    Row("look-for-list", page()),
    Row("look-for-list", page(), query="q=%01&active=maybe&page=-1"),
    Row("look-for-create", KEEPERS, more={"coach": OK}),
    Row("look-for-create", KEEPERS_BAD, method="post", more={"coach": BAD}),
    Row("look-for-detail", page(), obj="look_for"),
    Row("look-for-edit", KEEPERS, obj="look_for", more={"coach": OK}),
    Row("look-for-edit", KEEPERS_BAD, obj="look_for", method="post", more={"coach": BAD}),
    Row("look-for-item-add", KEEPERS_BAD, obj="look_for", method="post", more={"coach": BAD}),
    Row(
        "look-for-item-edit",
        KEEPERS_POST,
        obj="look_for_item",
        method="post",
        more={"coach": FOUND},
    ),
    Row(
        "look-for-item-move",
        KEEPERS_POST,
        obj="look_for_item",
        method="post",
        more={"coach": FOUND},
    ),
    Row(
        "look-for-item-remove",
        KEEPERS_POST,
        obj="look_for_item",
        method="post",
        more={"coach": FOUND},
    ),
    # --- peer visits (the teacher hosts the world's visit)
    Row("peer-visit-list", page()),
    Row("peer-visit-list", page(), query="side=%01&status=nope"),
    Row("peer-visit-create", page()),
    Row("peer-visit-create", ALL_BAD, method="post"),
    Row("peer-visit-detail", PAIR, obj="visit", more=others(new_teacher=OK)),
    Row(
        "peer-visit-respond",
        page(teacher=BAD, principal=MISSING, director=MISSING, admin=MISSING),
        obj="visit",
        method="post",
        more=others(new_teacher=FORBIDDEN),
    ),
    Row(
        "peer-visit-cancel", COACH_ONLY, obj="visit", method="post", more=others(new_teacher=FOUND)
    ),
    # --- for leaders: counts and dates, implementation rates
    Row("coaching-overview", FOLLOWERS, more={"coach": OK}),
    Row(
        "coaching-overview",
        FOLLOWERS,
        query="year=abc&school=99999999999999999999",
        more={"coach": OK},
    ),
    Row("implementation", FOLLOWERS),
    Row("implementation", FOLLOWERS, query="by=bogus&school=x&year=-1"),
    Row("implementation", FOLLOWERS, query="by=school"),
    Row("implementation", FOLLOWERS, query="by=strategy"),
]

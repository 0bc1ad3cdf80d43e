"""Permission rows for the mentoring pages (see cadre/tests/permission_table.py).

In district A the teacher is a trained mentor (`mentor`) of `new_teacher` (`match`, active,
with `mentor_log`) and of `second_new_teacher` (`proposed_match`); both new teachers work at
the principal's school, where `checklist` is the new teacher's onboarding. The other teacher
has `extended_support`. The admin is the programme's coordinator. The logs are the pair's
alone: the principal, the director and the admin get 404 (ARCHITECTURE rule 3).
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

FOLLOWERS = page(teacher=FORBIDDEN, director=FORBIDDEN)  # the coordinator and school leaders
SCHOOLS = page(teacher=MISSING, director=MISSING)  # the principal's school and the coordinator
PAIR = page(principal=MISSING, director=MISSING, admin=MISSING)

ROWS = [
    Row("mentoring-home", page()),
    Row("mentoring-people", FOLLOWERS, more={"coordinator": OK}),
    Row(
        "mentoring-people",
        FOLLOWERS,
        query="state=overdue&school=99999999999999999999&year=x",
        more={"coordinator": OK},
    ),
    Row(
        "mentoring-person", SCHOOLS, obj="new_teacher", more={"coordinator": OK, "new_teacher": OK}
    ),
    Row("mentoring-person", page(director=MISSING), obj="teacher", more=others(coordinator=OK)),
    Row(
        "mentoring-extend",
        page(teacher=FORBIDDEN, principal=FORBIDDEN, director=MISSING),
        obj="teacher",
        more=others(coordinator=OK),
    ),
    Row(
        "mentoring-extend",
        admin_only(others=MISSING),
        obj="other_teacher",
        more={"coordinator": OK},
    ),
    Row(
        "mentoring-extend",
        admin_only(others=MISSING, ok=BAD),
        obj="other_teacher",
        method="post",
        more={"coordinator": BAD},
    ),
    Row(
        "mentoring-extend-revoke",
        admin_only(others=MISSING, ok=FOUND),
        obj="extended_support",
        method="post",
        more={"coordinator": FOUND},
    ),
    Row(
        "mentoring-propose",
        SCHOOLS,
        obj="new_teacher",
        more={"coordinator": OK, "new_teacher": FORBIDDEN},
    ),
    Row(
        "mentoring-propose",
        page(teacher=MISSING, director=MISSING, principal=BAD, admin=BAD),
        obj="new_teacher",
        method="post",
        more={"coordinator": BAD, "new_teacher": FORBIDDEN},
    ),
    Row(
        "mentoring-propose",
        page(teacher=FORBIDDEN, director=MISSING),
        obj="teacher",
        more=others(coordinator=OK),
    ),
    Row(
        "onboarding-open",
        page(teacher=MISSING, principal=FOUND, director=MISSING, admin=FOUND),
        obj="second_new_teacher",
        method="post",
        more={"coordinator": FOUND},
    ),
    Row("mentor-list", FOLLOWERS, more={"coordinator": OK}),
    Row("mentor-list", FOLLOWERS, query="available=maybe&q=%01", more={"coordinator": OK}),
    Row("mentor-create", admin_only(), more={"coordinator": OK}),
    Row("mentor-create", admin_only(ok=BAD), method="post", more={"coordinator": BAD}),
    Row(
        "mentor-edit",
        page(teacher=FORBIDDEN, principal=FORBIDDEN, director=MISSING),
        obj="mentor",
        more=others(coordinator=OK),
    ),
    Row("mentor-match-list", page()),
    Row("mentor-match-list", page(), query="status=bogus&school=abc&year=99999999999999999999"),
    Row(
        "mentor-match-detail",
        page(director=MISSING),
        obj="match",
        more=others(coordinator=OK, new_teacher=OK),
    ),
    Row(
        "mentor-match-detail",
        page(director=MISSING),
        obj="proposed_match",
        more=others(coordinator=OK),
    ),
    Row(
        "mentor-match-confirm",
        page(teacher=FORBIDDEN, principal=FORBIDDEN, director=MISSING, admin=BAD),
        obj="proposed_match",
        method="post",
        more=others(coordinator=BAD),
    ),
    Row(
        "mentor-match-end",
        page(teacher=FORBIDDEN, principal=FORBIDDEN, director=MISSING, admin=BAD),
        obj="match",
        method="post",
        more=others(coordinator=BAD, new_teacher=FORBIDDEN),
    ),
    Row(
        "mentor-match-stipends",
        page(teacher=FORBIDDEN, principal=FORBIDDEN, director=MISSING, admin=FOUND),
        obj="match",
        method="post",
        more=others(coordinator=FOUND, new_teacher=FORBIDDEN),
    ),
    Row(
        "mentor-log-create",
        page(principal=FORBIDDEN, director=MISSING, admin=FORBIDDEN),
        obj="match",
        more=others(coordinator=FORBIDDEN, new_teacher=FORBIDDEN),
    ),
    Row(
        "mentor-log-create",
        page(teacher=BAD, principal=FORBIDDEN, director=MISSING, admin=FORBIDDEN),
        obj="match",
        method="post",
        more=others(coordinator=FORBIDDEN, new_teacher=FORBIDDEN),
    ),
    Row("mentor-log-detail", PAIR, obj="mentor_log", more=others(new_teacher=OK)),
    Row("mentor-log-edit", PAIR, obj="mentor_log", more=others(new_teacher=FORBIDDEN)),
    Row(
        "mentor-log-reflect",
        page(teacher=FORBIDDEN, principal=MISSING, director=MISSING, admin=MISSING),
        obj="mentor_log",
        method="post",
        more=others(new_teacher=BAD),
    ),
    # The mentor column's own pair (`lone_match`, `lone_log`, at the other school): theirs, and
    # the coordinator's to follow; the log is the pair's alone.
    Row(
        "mentor-match-detail",
        page(teacher=MISSING, principal=MISSING, director=MISSING),
        obj="lone_match",
        more=others(mentor=OK, coordinator=OK),
    ),
    Row(
        "mentor-log-create",
        page(teacher=MISSING, principal=MISSING, director=MISSING, admin=FORBIDDEN),
        obj="lone_match",
        more=others(mentor=OK, coordinator=FORBIDDEN),
    ),
    Row(
        "mentor-log-detail",
        page(teacher=MISSING, principal=MISSING, director=MISSING, admin=MISSING),
        obj="lone_log",
        more=others(mentor=OK),
    ),
    Row("mentor-training", page()),
    Row(
        "mentor-training",
        page(teacher=FORBIDDEN, principal=FORBIDDEN, director=FORBIDDEN, admin=BAD),
        method="post",
        more={"coordinator": BAD},
    ),
    Row(
        "mentor-training-remove",
        admin_only(ok=FOUND),
        obj="mentor_training",
        method="post",
        more={"coordinator": FOUND},
    ),
    Row("onboarding-detail", SCHOOLS, obj="checklist", more={"coordinator": OK, "new_teacher": OK}),
    Row(
        "onboarding-task",
        page(teacher=MISSING, principal=FOUND, director=MISSING, admin=FOUND),
        obj="onboarding_task",
        method="post",
        more={"coordinator": FOUND, "new_teacher": FORBIDDEN},
    ),
    Row("onboarding-items", admin_only(), more={"coordinator": OK}),
    Row("onboarding-items", admin_only(ok=BAD), method="post", more={"coordinator": BAD}),
    Row("onboarding-item-edit", admin_only(), obj="onboarding_item", more={"coordinator": OK}),
    Row("mentoring-report", admin_only(), more={"coordinator": OK}),
    Row("mentoring-report", admin_only(), query="year=-1", more={"coordinator": OK}),
]

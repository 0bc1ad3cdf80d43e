"""Permission rows for the mentoring pages (see cadre/tests/permission_table.py).

In district A the teacher is a trained mentor (`mentor`) of `new_teacher` (`match`, active,
with `mentor_log`) and of `second_new_teacher` (`proposed_match`); both new teachers work at
the principal's school, where `checklist` is the new teacher's onboarding. The other teacher
has `extended_support`. The admin is the programme's coordinator. The logs are the pair's
alone: the principal, the director and the admin get 404 (ARCHITECTURE rule 3).
"""

from cadre.tests.permission_table import BAD, FORBIDDEN, FOUND, MISSING, Row, admin_only, page

FOLLOWERS = page(teacher=FORBIDDEN, director=FORBIDDEN)  # the coordinator and school leaders
SCHOOLS = page(teacher=MISSING, director=MISSING)  # the principal's school and the coordinator
PAIR = page(principal=MISSING, director=MISSING, admin=MISSING)

ROWS = [
    Row("mentoring-home", page()),
    Row("mentoring-people", FOLLOWERS),
    Row("mentoring-people", FOLLOWERS, query="state=overdue&school=99999999999999999999&year=x"),
    Row("mentoring-person", SCHOOLS, obj="new_teacher"),
    Row("mentoring-person", page(director=MISSING), obj="teacher"),
    Row(
        "mentoring-extend",
        page(teacher=FORBIDDEN, principal=FORBIDDEN, director=MISSING),
        obj="teacher",
    ),
    Row("mentoring-extend", admin_only(others=MISSING), obj="other_teacher"),
    Row("mentoring-extend", admin_only(others=MISSING, ok=BAD), obj="other_teacher", method="post"),
    Row(
        "mentoring-extend-revoke",
        admin_only(others=MISSING, ok=FOUND),
        obj="extended_support",
        method="post",
    ),
    Row("mentoring-propose", SCHOOLS, obj="new_teacher"),
    Row(
        "mentoring-propose",
        page(teacher=MISSING, director=MISSING, principal=BAD, admin=BAD),
        obj="new_teacher",
        method="post",
    ),
    Row("mentoring-propose", page(teacher=FORBIDDEN, director=MISSING), obj="teacher"),
    Row(
        "onboarding-open",
        page(teacher=MISSING, principal=FOUND, director=MISSING, admin=FOUND),
        obj="second_new_teacher",
        method="post",
    ),
    Row("mentor-list", FOLLOWERS),
    Row("mentor-list", FOLLOWERS, query="available=maybe&q=%01"),
    Row("mentor-create", admin_only()),
    Row("mentor-create", admin_only(ok=BAD), method="post"),
    Row(
        "mentor-edit", page(teacher=FORBIDDEN, principal=FORBIDDEN, director=MISSING), obj="mentor"
    ),
    Row("mentor-match-list", page()),
    Row("mentor-match-list", page(), query="status=bogus&school=abc&year=99999999999999999999"),
    Row("mentor-match-detail", page(director=MISSING), obj="match"),
    Row("mentor-match-detail", page(director=MISSING), obj="proposed_match"),
    Row(
        "mentor-match-confirm",
        page(teacher=FORBIDDEN, principal=FORBIDDEN, director=MISSING, admin=BAD),
        obj="proposed_match",
        method="post",
    ),
    Row(
        "mentor-match-end",
        page(teacher=FORBIDDEN, principal=FORBIDDEN, director=MISSING, admin=BAD),
        obj="match",
        method="post",
    ),
    Row(
        "mentor-match-stipends",
        page(teacher=FORBIDDEN, principal=FORBIDDEN, director=MISSING, admin=FOUND),
        obj="match",
        method="post",
    ),
    Row(
        "mentor-log-create",
        page(principal=FORBIDDEN, director=MISSING, admin=FORBIDDEN),
        obj="match",
    ),
    Row(
        "mentor-log-create",
        page(teacher=BAD, principal=FORBIDDEN, director=MISSING, admin=FORBIDDEN),
        obj="match",
        method="post",
    ),
    Row("mentor-log-detail", PAIR, obj="mentor_log"),
    Row("mentor-log-edit", PAIR, obj="mentor_log"),
    Row(
        "mentor-log-reflect",
        page(teacher=FORBIDDEN, principal=MISSING, director=MISSING, admin=MISSING),
        obj="mentor_log",
        method="post",
    ),
    Row("mentor-training", page()),
    Row(
        "mentor-training",
        page(teacher=FORBIDDEN, principal=FORBIDDEN, director=FORBIDDEN, admin=BAD),
        method="post",
    ),
    Row(
        "mentor-training-remove",
        admin_only(ok=FOUND),
        obj="mentor_training",
        method="post",
    ),
    Row("onboarding-detail", SCHOOLS, obj="checklist"),
    Row(
        "onboarding-task",
        page(teacher=MISSING, principal=FOUND, director=MISSING, admin=FOUND),
        obj="onboarding_task",
        method="post",
    ),
    Row("onboarding-items", admin_only()),
    Row("onboarding-items", admin_only(ok=BAD), method="post"),
    Row("onboarding-item-edit", admin_only(), obj="onboarding_item"),
    Row("mentoring-report", admin_only()),
    Row("mentoring-report", admin_only(), query="year=-1"),
]

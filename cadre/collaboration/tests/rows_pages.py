"""Permission rows for the collaboration pages (see cadre/tests/permission_table.py).

In district A, `group` is a PLC at the principal's school: the teacher facilitates it and is a
member with the new teacher; `group_meeting` is its meeting (with `work_sample` and the
teacher's `reflection`), `check_in` the principal's. `lesson_group` is a lesson-study group of
the teacher's at the same school with `research_lesson`. `cross_group` is a cross-school group
of the other teacher's. Groups are seen by their members and facilitator, the leaders of the
schools they serve and administrators: the director, who is none of these, gets 404. The
facilitator, the school's leaders and administrators run a group; school leaders log check-ins
and join; leaders and administrators judge, and follow the school view and the report.
Empty POSTs are bad input (400) for those allowed.
"""

from cadre.tests.permission_table import BAD, FORBIDDEN, FOUND, MISSING, OK, Row, others, page

SEEN = page(director=MISSING)
RUN_POST = page(teacher=BAD, principal=BAD, director=MISSING, admin=BAD)
LEADERS = page(teacher=FORBIDDEN, director=FORBIDDEN)
LEADER_ONLY = page(teacher=FORBIDDEN, director=MISSING, admin=FORBIDDEN)
JUNK = "q=%01&year=abc&school=99999999999999999999&kind=bogus&status=x"

ROWS = [
    Row("group-list", page()),
    Row("group-list", page(), query=JUNK),
    Row("group-list", page(), query="year=all&page=99"),
    Row("group-create", LEADERS, more={"coach": OK}),
    Row(
        "group-create",
        page(teacher=FORBIDDEN, principal=BAD, director=FORBIDDEN, admin=BAD),
        method="post",
        more={"coach": BAD},
    ),
    Row("group-detail", SEEN, obj="group", more=others(new_teacher=OK)),
    Row("group-detail", SEEN, obj="lesson_group", more=others()),
    Row(
        "group-detail",
        page(teacher=MISSING, principal=MISSING, director=MISSING),
        obj="cross_group",
    ),
    Row("group-edit", SEEN, obj="group", more=others(new_teacher=FORBIDDEN)),
    Row("group-edit", RUN_POST, obj="group", method="post", more=others(new_teacher=FORBIDDEN)),
    Row(
        "group-edit", page(teacher=MISSING, principal=MISSING, director=MISSING), obj="cross_group"
    ),
    Row("group-members", SEEN, obj="group", more=others(new_teacher=FORBIDDEN)),
    Row("group-members", RUN_POST, obj="group", method="post", more=others(new_teacher=FORBIDDEN)),
    Row(
        "group-join",
        page(teacher=FORBIDDEN, principal=FOUND, director=MISSING, admin=FORBIDDEN),
        obj="group",
        method="post",
        more=others(new_teacher=FORBIDDEN),
    ),
    # The teacher facilitates: the service refuses, shown as a message on the group's page.
    Row(
        "group-leave",
        page(teacher=FOUND, principal=FORBIDDEN, director=MISSING, admin=FORBIDDEN),
        obj="group",
        method="post",
        more=others(new_teacher=FOUND),
    ),
    Row("group-stage", RUN_POST, obj="group", method="post", more=others(new_teacher=FORBIDDEN)),
    Row("group-close", RUN_POST, obj="group", method="post", more=others(new_teacher=FORBIDDEN)),
    # Not closed: the refusal is a message on the group's page.
    Row(
        "group-reopen",
        page(teacher=FOUND, principal=FOUND, director=MISSING, admin=FOUND),
        obj="group",
        method="post",
        more=others(new_teacher=FORBIDDEN),
    ),
    Row("group-evidence", SEEN, obj="group", more=others(new_teacher=OK)),
    Row("group-evidence", RUN_POST, obj="group", method="post", more=others(new_teacher=BAD)),
    Row(
        "group-judge",
        page(teacher=FORBIDDEN, principal=BAD, director=MISSING, admin=BAD),
        obj="group",
        method="post",
        more=others(new_teacher=FORBIDDEN),
    ),
    Row("group-meeting-create", SEEN, obj="group", more=others(new_teacher=FORBIDDEN)),
    Row(
        "group-meeting-create",
        RUN_POST,
        obj="group",
        method="post",
        more=others(new_teacher=FORBIDDEN),
    ),
    Row("group-meeting-detail", SEEN, obj="group_meeting", more=others(new_teacher=OK)),
    Row("group-meeting-edit", SEEN, obj="group_meeting", more=others(new_teacher=FORBIDDEN)),
    Row(
        "group-meeting-edit",
        RUN_POST,
        obj="group_meeting",
        method="post",
        more=others(new_teacher=FORBIDDEN),
    ),
    # Members reflect (the form is on the meeting's page, where a GET is sent).
    Row(
        "group-meeting-reflect",
        page(teacher=FOUND, principal=FORBIDDEN, director=MISSING, admin=FORBIDDEN),
        obj="group_meeting",
        more=others(new_teacher=FOUND),
    ),
    Row(
        "group-meeting-reflect",
        page(teacher=BAD, principal=FORBIDDEN, director=MISSING, admin=FORBIDDEN),
        obj="group_meeting",
        method="post",
        more=others(new_teacher=BAD),
    ),
    Row("group-work-sample", SEEN, obj="work_sample", more=others(new_teacher=OK)),
    Row("research-lesson-create", SEEN, obj="lesson_group", more=others()),
    Row("research-lesson-create", RUN_POST, obj="lesson_group", method="post", more=others()),
    # A PLC has no research lessons: back to its page.
    Row(
        "research-lesson-create",
        page(teacher=FOUND, principal=FOUND, director=MISSING, admin=FOUND),
        obj="group",
        more=others(new_teacher=FOUND),
    ),
    Row("research-lesson-detail", SEEN, obj="research_lesson", more=others()),
    Row("research-lesson-edit", SEEN, obj="research_lesson", more=others()),
    Row("research-lesson-edit", RUN_POST, obj="research_lesson", method="post", more=others()),
    Row("research-lesson-stage", RUN_POST, obj="research_lesson", method="post", more=others()),
    Row("check-in-create", LEADER_ONLY, obj="group", more=others(new_teacher=FORBIDDEN)),
    Row(
        "check-in-create",
        page(teacher=FORBIDDEN, principal=BAD, director=MISSING, admin=FORBIDDEN),
        obj="group",
        method="post",
        more=others(new_teacher=FORBIDDEN),
    ),
    Row("check-in-detail", SEEN, obj="check_in", more=others(new_teacher=OK)),
    Row("check-in-edit", LEADER_ONLY, obj="check_in", more=others(new_teacher=FORBIDDEN)),
    Row(
        "check-in-edit",
        page(teacher=FORBIDDEN, principal=BAD, director=MISSING, admin=FORBIDDEN),
        obj="check_in",
        method="post",
        more=others(new_teacher=FORBIDDEN),
    ),
    Row("group-check-ins", LEADERS),
    Row("group-check-ins", LEADERS, query="school=abc&year=99999999999999999999&page=x"),
    Row("protocol-list", page()),
    Row("group-report", LEADERS),
    Row("group-report", LEADERS, query="year=-1"),
]

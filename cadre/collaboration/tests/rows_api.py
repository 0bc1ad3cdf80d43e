"""Permission rows for the small-groups API (see cadre/tests/permission_table.py).

Who is who in district A of the `world`: the teacher facilitates `group` (a PLC at the
principal's school, with the new teacher as a member), which met once (`group_meeting`) and
had the principal's `check_in`; `cross_group` is the other teacher's cross-school group, with
no member from the principal's school. A group, its meetings and check-ins are there for its
members, the leaders of the schools it serves and administrators; the director has no part in
them (404). Detail actions ask access before they read the body, so an empty POST is 403 for a
refused role and 400 (or the service's answer) for a permitted one.
"""

from cadre.tests.permission_table import (
    BAD,
    CONFLICT,
    FORBIDDEN,
    MISSING,
    NO_CONTENT,
    OK,
    Row,
    api,
    others,
)

SEEN = {"director": MISSING}  # the group's people and leaders; not the director
# Those who run the group: its facilitator, its school's leaders and administrators.
RUNNERS = {"director": MISSING, "teacher": BAD, "principal": BAD, "admin": BAD}
CREATORS = {"teacher": FORBIDDEN, "director": FORBIDDEN, "principal": BAD, "admin": BAD}

ROWS: list[Row] = [
    # --- groups
    Row("api:group-list", api(), api=True),
    Row("api:group-list", api(**CREATORS), method="post", api=True, more={"coach": BAD}),
    Row("api:group-detail", api(**SEEN), obj="group", api=True, more=others(new_teacher=OK)),
    Row(
        "api:group-detail",
        api(teacher=MISSING, principal=MISSING, director=MISSING),
        obj="cross_group",
        api=True,
    ),
    Row(
        "api:group-detail",
        api(**SEEN),
        obj="group",
        method="patch",
        api=True,
        more=others(new_teacher=FORBIDDEN),
    ),
    # A school leader joins; the facilitator and an administrator without a school do not.
    Row(
        "api:group-join",
        api(teacher=FORBIDDEN, director=MISSING, admin=FORBIDDEN),
        obj="group",
        method="post",
        api=True,
        more=others(new_teacher=FORBIDDEN),
    ),
    # Members leave, but the facilitator names another first.
    Row(
        "api:group-leave",
        api(teacher=BAD, principal=FORBIDDEN, director=MISSING, admin=FORBIDDEN),
        obj="group",
        method="post",
        api=True,
        more=others(new_teacher=NO_CONTENT),
    ),
    Row(
        "api:group-leave",
        api(teacher=MISSING, principal=MISSING, director=MISSING, admin=FORBIDDEN),
        obj="cross_group",
        method="post",
        api=True,
    ),
    Row(
        "api:group-members",
        api(**RUNNERS),
        obj="group",
        method="post",
        api=True,
        more=others(new_teacher=FORBIDDEN),
    ),
    Row(
        "api:group-remove-member",
        api(**RUNNERS),
        obj="group",
        method="post",
        api=True,
        more=others(new_teacher=FORBIDDEN),
    ),
    Row(
        "api:group-stage",
        api(**RUNNERS),
        obj="group",
        method="post",
        api=True,
        more=others(new_teacher=FORBIDDEN),
    ),
    # Closing needs evidence; reopening needs a closed cycle.
    Row(
        "api:group-close",
        api(teacher=CONFLICT, principal=CONFLICT, director=MISSING, admin=CONFLICT),
        obj="group",
        method="post",
        api=True,
        more=others(new_teacher=FORBIDDEN),
    ),
    Row(
        "api:group-reopen",
        api(teacher=CONFLICT, principal=CONFLICT, director=MISSING, admin=CONFLICT),
        obj="group",
        method="post",
        api=True,
        more=others(new_teacher=FORBIDDEN),
    ),
    Row(
        "api:group-judge",
        api(teacher=FORBIDDEN, principal=BAD, director=MISSING, admin=BAD),
        obj="group",
        method="post",
        api=True,
        more=others(new_teacher=FORBIDDEN),
    ),
    # The facilitator, the school's leaders and the members record evidence.
    Row(
        "api:group-evidence",
        api(**RUNNERS),
        obj="group",
        method="post",
        api=True,
        more=others(new_teacher=BAD),
    ),
    # --- meetings: whoever runs the group records them, which the body's group decides
    Row("api:group-meeting-list", api(), api=True),
    Row(
        "api:group-meeting-list",
        api(teacher=BAD, principal=BAD, director=BAD, admin=BAD),
        method="post",
        api=True,
    ),
    Row(
        "api:group-meeting-detail",
        api(**SEEN),
        obj="group_meeting",
        api=True,
        more=others(new_teacher=OK),
    ),
    Row(
        "api:group-meeting-detail",
        api(teacher=OK, principal=OK, director=MISSING, admin=OK),
        obj="group_meeting",
        method="patch",
        api=True,
        more=others(new_teacher=FORBIDDEN),
    ),
    # Members reflect, each their own: the principal and the administrator are not members.
    Row(
        "api:group-meeting-reflect",
        api(teacher=BAD, principal=FORBIDDEN, director=MISSING, admin=FORBIDDEN),
        obj="group_meeting",
        method="post",
        api=True,
        more=others(new_teacher=BAD),
    ),
    Row(
        "api:group-meeting-samples",
        api(**RUNNERS),
        obj="group_meeting",
        method="post",
        api=True,
        more=others(new_teacher=FORBIDDEN),
    ),
    # --- check-ins: the school's leaders log them; everyone who sees the group reads them
    Row("api:check-in-list", api(), api=True),
    Row("api:check-in-list", api(**CREATORS), method="post", api=True),
    Row("api:check-in-detail", api(**SEEN), obj="check_in", api=True, more=others(new_teacher=OK)),
    # Only its author changes a check-in.
    Row(
        "api:check-in-detail",
        api(teacher=FORBIDDEN, director=MISSING, admin=FORBIDDEN),
        obj="check_in",
        method="patch",
        api=True,
        more=others(new_teacher=FORBIDDEN),
    ),
]

"""Who sees and does what in small groups.

- A group is seen by its creator, its facilitator and members, by the leaders (principal, assistant
  principals) of its school, or for a cross-school group of any school its members came from,
  and by district administrators. Its meetings, reflections, research lessons, check-ins and
  evidence are seen by the same people.
- School leaders, instructional coaches and administrators create groups. The facilitator,
  the school's leaders and administrators run them: members, stage, meetings, lessons.
- Members write their own reflections and record the evidence at cycle end.
- School leaders log check-ins, judge effectiveness and may join a group. They and
  administrators follow the school view of check-ins and the groups report.
- A school leader creates groups at the schools they lead and cross-school groups; a coach
  at the schools they work in and cross-school groups; an administrator anywhere.
"""

from django.db.models import Q

from cadre.collaboration.models import (
    Attendance,
    CheckIn,
    Evidence,
    Group,
    Meeting,
    Membership,
    Reflection,
    ResearchLesson,
    WorkSample,
)
from cadre.districts import access
from cadre.districts.access import Actor, anyone
from cadre.districts.models import Role


def group_q(actor: Actor, prefix: str = "") -> Q:
    """The groups a person sees, as a filter on `prefix` + group."""
    if actor.is_district_admin:
        return Q()
    me, led = actor.staff.pk, actor.led_school_ids
    mine = Membership.objects.filter(staff_id=me).values("group_id")
    # Its creator too: a coach who sets a group up for others keeps sight of it.
    q = (
        Q(**{f"{prefix}facilitator_id": me})
        | Q(**{f"{prefix}pk__in": mine})
        | Q(**{f"{prefix}created_by_id": actor.user.pk})
    )
    if led:
        served = Membership.objects.filter(school_id__in=led).values("group_id")
        q |= Q(**{f"{prefix}school_id__in": led}) | Q(
            **{f"{prefix}school__isnull": True, f"{prefix}pk__in": served}
        )
    return q


def is_member(actor: Actor, group: Group | None) -> bool:
    return group is not None and group.memberships.filter(staff_id=actor.staff.pk).exists()


def leads_group(actor: Actor, group: Group | None) -> bool:
    """A leader of the group's school, or of a school a cross-school group serves."""
    if group is None or not actor.led_school_ids:
        return False
    if group.school_id:
        return group.school_id in actor.led_school_ids
    return group.memberships.filter(school_id__in=actor.led_school_ids).exists()


def runs(actor: Actor, group: Group | None) -> bool:
    return group is not None and (
        actor.is_district_admin
        or group.facilitator_id == actor.staff.pk
        or (group.school_id is not None and group.school_id in actor.led_school_ids)
    )


def creates(actor: Actor, obj=None) -> bool:
    """Who creates groups; with an (unsaved) group, whether they may create that one."""
    if actor.is_district_admin:
        return True
    coach = Role.INSTRUCTIONAL_COACH in actor.roles
    if not (actor.is_school_leader or coach):
        return False
    if obj is None or obj.school_id is None:
        return True
    return obj.school_id in actor.led_school_ids or (coach and obj.school_id in actor.school_ids)


def follows(actor: Actor, obj=None) -> bool:
    """School leaders and administrators: the check-in view and the report."""
    return actor.is_district_admin or actor.is_school_leader


def _group(obj) -> Group | None:
    return obj if isinstance(obj, Group) or obj is None else obj.group


access.register(
    Group,
    visible=lambda actor, qs: qs.filter(group_q(actor)),
    rules={
        "list": anyone,
        "view": lambda a, g: Group.objects.filter(pk=g.pk).filter(group_q(a)).exists(),
        "create": creates,
        "follow": follows,
        "change": runs,
        "record_meeting": runs,
        "add_lesson": lambda a, g: runs(a, g) or is_member(a, g),
        "record_evidence": lambda a, g: runs(a, g) or is_member(a, g),
        "check_in": leads_group,
        "judge": lambda a, g: leads_group(a, g) or a.is_district_admin,
        "join": lambda a, g: leads_group(a, g) and not is_member(a, g),
        "leave": is_member,
    },
)

for model in (Meeting, Evidence):
    access.register(
        model,
        visible=lambda actor, qs: qs.filter(group_q(actor, "group__")),
        rules={
            "list": anyone,
            "change": lambda a, obj: runs(a, _group(obj)),
            "reflect": lambda a, obj: is_member(a, _group(obj)),
        },
    )

access.register(
    ResearchLesson,
    visible=lambda actor, qs: qs.filter(group_q(actor, "group__")),
    rules={
        "list": anyone,
        "change": lambda a, obj: runs(a, obj.group) or is_member(a, obj.group),
    },
)

access.register(
    CheckIn,
    visible=lambda actor, qs: qs.filter(group_q(actor, "group__")),
    rules={
        "list": anyone,
        "change": lambda a, obj: obj.by_id == a.staff.pk,
    },
)

for model in (Attendance, Reflection, WorkSample):
    access.register(
        model,
        visible=lambda actor, qs: qs.filter(group_q(actor, "meeting__group__")),
        rules={
            "list": anyone,
            "change": (
                (lambda a, obj: obj.staff_id == a.staff.pk)
                if model is Reflection
                else (lambda a, obj: runs(a, obj.meeting.group))
            ),
        },
    )

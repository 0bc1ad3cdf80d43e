"""The small-groups API: a thin layer over the same access rules, selectors and services as the
pages.

- Lists and lookups start from `access.visible`: a group, its meetings (with their attendance
  and reflections) and its check-ins are there for its facilitator and members, the leaders
  of the schools it serves and administrators. Anything else is simply not there (404).
- A visible row the caller may not act on answers 403 (`access.require`, before the body is
  read where the right does not depend on the body, so a refused caller learns nothing from
  validation).
- Writes call `services`; a refused action surfaces as {"code", "detail"}: 400 for bad input,
  409 for a step the group's state does not allow (a closed cycle, a second member).
"""

from typing import Any

from django.db.models import Model, Prefetch, QuerySet, Value
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from cadre.collaboration import selectors
from cadre.collaboration.models import (
    Attendance,
    CheckIn,
    Evidence,
    Group,
    Meeting,
    Membership,
    Reflection,
)
from cadre.collaboration.serializers import (
    CHECK_IN_ORDER,
    GROUP_ORDER,
    MEETING_ORDER,
    CheckInChangeSerializer,
    CheckInQuery,
    CheckInSerializer,
    GroupChangeSerializer,
    GroupCloseSerializer,
    GroupEvidenceAddSerializer,
    GroupEvidenceSerializer,
    GroupJudgeSerializer,
    GroupMeetingChangeSerializer,
    GroupMeetingQuery,
    GroupMeetingReflectSerializer,
    GroupMeetingSerializer,
    GroupMemberSerializer,
    GroupMembershipSerializer,
    GroupNoteSerializer,
    GroupQuery,
    GroupSampleUploadSerializer,
    GroupSerializer,
    GroupStageSerializer,
    GroupWorkSampleSerializer,
)
from cadre.collaboration.services import check_ins as check_in_services
from cadre.collaboration.services import evidence as evidence_services
from cadre.collaboration.services import groups as group_services
from cadre.collaboration.services import meetings as meeting_services
from cadre.core.api import REFUSALS, DistrictResourceViewSet, ScopedModelViewSet, documented
from cadre.districts import access
from cadre.planning.models import Goal


def _text_fields(data: dict[str, Any], names: list[str]) -> dict[str, Any]:
    return {name: data[name] for name in names if name in data}


# --- groups --------------------------------------------------------------------------------


@documented(GroupSerializer, GroupQuery, "small groups")
class GroupViewSet(DistrictResourceViewSet):
    """PLCs, lesson-study groups, critical friends groups and book studies: members, goals,
    the stage of the cycle of inquiry, the last check-in (and whether one is overdue) and the
    evidence at cycle end. School leaders, coaches and administrators create them; the
    facilitator, the school's leaders and administrators run them."""

    model = Group
    serializer_class = GroupSerializer
    change_serializer_class = GroupChangeSerializer
    query_class = GroupQuery
    order = GROUP_ORDER
    object_actions = {
        "retrieve": "view",
        "partial_update": "change",
        "join": "join",
        "leave": "leave",
        "members": "change",
        "remove_member": "change",
        "stage": "change",
        "close": "change",
        "reopen": "change",
        "judge": "judge",
        "evidence": "record_evidence",
    }

    @staticmethod
    def _shaped(qs: QuerySet) -> QuerySet:
        return qs.select_related("judged_by").prefetch_related(
            Prefetch("memberships", Membership.objects.select_related("staff")),
            Prefetch("goals", Goal.objects.only("pk", "code", "title")),
            Prefetch("evidence", Evidence.objects.select_related("recorded_by")),
        )

    def everything(self) -> QuerySet:
        return self._shaped(selectors.groups(self.actor))

    def listed(self, params: dict[str, Any]) -> QuerySet:
        qs = selectors.groups(
            self.actor,
            school=params.get("school"),
            kind=params.get("kind", ""),
            status=params.get("status", ""),
            q=params["q"].strip(),
        )
        if params.get("school_year"):
            qs = qs.filter(school_year_id=params["school_year"])
        return self._shaped(qs)

    def fresh(self, obj: Model) -> Model:
        try:
            return super().fresh(obj)
        except Group.DoesNotExist:
            if self.action != "create":
                raise
            # A coach may create a group they neither facilitate nor join, and so do not see
            # afterwards: the answer to their request is still the group they just wrote.
            qs = selectors.with_figures(Group.objects.filter(pk=obj.pk))
            return self._shaped(qs.annotate(is_mine=Value(False))).get()

    def create_with(self, data: dict[str, Any]) -> Model:
        data = dict(data)
        goals, members = data.pop("goals", []), data.pop("member_ids", [])
        # "create" let any creator in; this asks about the school named (none: cross-school).
        probe = Group(district=self.actor.district, school=data.get("school"))
        access.require(self.actor, "create", probe)
        return group_services.group_create(
            district=self.actor.district,
            actor=self.request.user,
            data=data,
            goals=goals,
            members=members,
        )

    def update_with(self, obj: Model, data: dict[str, Any]) -> Model:
        data = dict(data)
        goals = data.pop("goals", None)
        return group_services.group_update(
            group=obj, actor=self.request.user, data=data, goals=goals
        )

    @extend_schema(
        request=None,
        responses={200: GroupSerializer, **REFUSALS},
        summary="A school leader joins a group their school takes part in",
    )
    @action(detail=True, methods=["post"])
    def join(self, request, pk=None):
        group = self.get_object()
        group_services.group_join(group=group, actor=request.user, staff=self.actor.staff)
        return self.respond(group)

    @extend_schema(
        request=None,
        responses={204: None, **REFUSALS},
        summary="Leave a group (the facilitator names another first)",
    )
    @action(detail=True, methods=["post"])
    def leave(self, request, pk=None):
        group = self.get_object()
        group_services.group_leave(group=group, actor=request.user, staff=self.actor.staff)
        # Once out, a member may no longer see the group: nothing to show.
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        request=GroupMemberSerializer,
        responses={201: GroupMembershipSerializer, **REFUSALS},
        summary="Add a member; their school is recorded as of today",
    )
    @action(detail=True, methods=["post"])
    def members(self, request, pk=None):
        group = self.get_object()
        staff = self.body(GroupMemberSerializer)["staff"]
        membership = group_services.member_add(group=group, actor=request.user, staff=staff)
        return Response(GroupMembershipSerializer(membership).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=GroupMemberSerializer,
        responses={200: GroupSerializer, **REFUSALS},
        summary="Remove a member (never the facilitator); their attendance and reflections stay",
    )
    @action(detail=True, methods=["post"], url_path="remove-member")
    def remove_member(self, request, pk=None):
        group = self.get_object()
        staff = self.body(GroupMemberSerializer)["staff"]
        group_services.member_remove(group=group, actor=request.user, staff=staff)
        return self.respond(group)

    @extend_schema(
        request=GroupStageSerializer,
        responses={200: GroupSerializer, **REFUSALS},
        summary="Move to another stage of the cycle of inquiry, forward or back",
    )
    @action(detail=True, methods=["post"])
    def stage(self, request, pk=None):
        group = self.get_object()
        data = self.body(GroupStageSerializer)
        return self.respond(
            group_services.group_stage(
                group=group, actor=request.user, to=data["stage"], note=data["note"]
            )
        )

    @extend_schema(
        request=GroupCloseSerializer,
        responses={200: GroupSerializer, **REFUSALS},
        summary="Close the cycle (409 without evidence, except for a book study)",
    )
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        group = self.get_object()
        data = self.body(GroupCloseSerializer)
        return self.respond(
            group_services.group_close(
                group=group, actor=request.user, closed_on=data.get("closed_on"), note=data["note"]
            )
        )

    @extend_schema(
        request=GroupNoteSerializer,
        responses={200: GroupSerializer, **REFUSALS},
        summary="Reopen a closed cycle; its effectiveness judgement is withdrawn",
    )
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        group = self.get_object()
        note = self.body(GroupNoteSerializer)["note"]
        return self.respond(group_services.group_reopen(group=group, actor=request.user, note=note))

    @extend_schema(
        request=GroupJudgeSerializer,
        responses={200: GroupSerializer, **REFUSALS},
        summary="A school leader's judgement of the group's effectiveness, on its evidence",
    )
    @action(detail=True, methods=["post"])
    def judge(self, request, pk=None):
        group = self.get_object()
        data = self.body(GroupJudgeSerializer)
        return self.respond(
            group_services.group_judge(
                group=group,
                actor=request.user,
                by=self.actor.staff,
                effectiveness=data["effectiveness"],
                note=data["note"],
            )
        )

    @extend_schema(
        request=GroupEvidenceAddSerializer,
        responses={201: GroupEvidenceSerializer, **REFUSALS},
        summary="Record student-learning evidence at cycle end: a measure, before and after",
    )
    @action(detail=True, methods=["post"])
    def evidence(self, request, pk=None):
        group = self.get_object()
        data = self.body(GroupEvidenceAddSerializer)
        item = evidence_services.evidence_add(
            group=group, actor=request.user, data=dict(data), recorded_by=self.actor.staff
        )
        body = GroupEvidenceSerializer(item, context=self.get_serializer_context()).data
        return Response(body, status=status.HTTP_201_CREATED)


# --- meetings ------------------------------------------------------------------------------


@documented(GroupMeetingSerializer, GroupMeetingQuery, "group meetings")
class GroupMeetingViewSet(DistrictResourceViewSet):
    """The meetings groups hold: agenda, protocol, the student work examined (described
    without names, with attachments), decisions, next steps, attendance and the members' own
    reflections, which everyone who sees the meeting reads. Whoever runs the group records
    and edits them."""

    model = Meeting
    serializer_class = GroupMeetingSerializer
    change_serializer_class = GroupMeetingChangeSerializer
    query_class = GroupMeetingQuery
    order = MEETING_ORDER
    object_actions = {
        "retrieve": None,
        "partial_update": "change",
        "reflect": "reflect",
        "samples": "change",
    }

    def everything(self) -> QuerySet:
        return self.listed({})

    def listed(self, params: dict[str, Any]) -> QuerySet:
        qs = (
            access.visible(self.actor, Meeting)
            .select_related("group", "recorded_by")
            .prefetch_related(
                Prefetch("attendance", Attendance.objects.select_related("staff")),
                Prefetch("reflections", Reflection.objects.select_related("staff")),
                "samples",
            )
        )
        if params.get("group"):
            qs = qs.filter(group_id=params["group"])
        return qs

    def create(self, request, *args, **kwargs):
        # A meeting has no "create" right of its own: whoever runs its group records it, which
        # is asked of the group the body names (below).
        return ScopedModelViewSet.create(self, request, *args, **kwargs)

    def create_with(self, data: dict[str, Any]) -> Model:
        group = data["group"]
        access.require(self.actor, "record_meeting", group)  # a visible group, not theirs: 403
        return meeting_services.meeting_create(
            group=group,
            actor=self.request.user,
            data=_text_fields(data, meeting_services.MEETING_FIELDS),
            present=list(data.get("present", [])),
            recorded_by=self.actor.staff,
        )

    def update_with(self, obj: Model, data: dict[str, Any]) -> Model:
        present = data.get("present")
        return meeting_services.meeting_update(
            meeting=obj,
            actor=self.request.user,
            data=_text_fields(data, meeting_services.MEETING_FIELDS),
            present=list(present) if present is not None else None,
        )

    @extend_schema(
        request=GroupMeetingReflectSerializer,
        responses={200: GroupMeetingSerializer, **REFUSALS},
        summary="A member's own reflection on the meeting: written once, edited after",
    )
    @action(detail=True, methods=["post"])
    def reflect(self, request, pk=None):
        meeting = self.get_object()
        text = self.body(GroupMeetingReflectSerializer)["text"]
        meeting_services.reflection_save(
            meeting=meeting, actor=request.user, staff=self.actor.staff, text=text
        )
        return self.respond(meeting)

    @extend_schema(
        request={"multipart/form-data": GroupSampleUploadSerializer},
        responses={201: GroupWorkSampleSerializer, **REFUSALS},
        summary="Attach the student work examined: PDF, PNG or JPEG, names removed",
    )
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser])
    def samples(self, request, pk=None):
        meeting = self.get_object()
        upload = self.body(GroupSampleUploadSerializer)["file"]
        sample = meeting_services.work_sample_add(
            meeting=meeting, actor=request.user, upload=upload
        )
        return Response(GroupWorkSampleSerializer(sample).data, status=status.HTTP_201_CREATED)


# --- check-ins -----------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(parameters=[CheckInQuery], summary="List check-ins with groups"),
    retrieve=extend_schema(summary="One of the check-ins with groups"),
    create=extend_schema(
        responses={201: CheckInSerializer, **REFUSALS},
        summary="A school leader logs a check-in with a group their school takes part in",
    ),
    partial_update=extend_schema(
        responses={200: CheckInSerializer, **REFUSALS}, summary="Its author changes a check-in"
    ),
)
class CheckInViewSet(DistrictResourceViewSet):
    """The principal's check-ins with groups: the date, whether the group's needs changed,
    the adjustments and the resources asked for. Everyone who sees the group reads them."""

    model = CheckIn
    serializer_class = CheckInSerializer
    change_serializer_class = CheckInChangeSerializer
    query_class = CheckInQuery
    order = CHECK_IN_ORDER
    object_actions = {"retrieve": None, "partial_update": "change"}

    def everything(self) -> QuerySet:
        return self.listed({})

    def listed(self, params: dict[str, Any]) -> QuerySet:
        qs = access.visible(self.actor, CheckIn).select_related("group", "by")
        if params.get("group"):
            qs = qs.filter(group_id=params["group"])
        if params.get("school"):
            groups = selectors.groups(self.actor, school=params["school"]).values("pk")
            qs = qs.filter(group_id__in=groups)
        return qs

    def create(self, request, *args, **kwargs):
        # Check-ins are the school leaders': refused before the body is read. Which group is
        # theirs is asked of the group the body names (below).
        access.require(self.actor, "follow", Group)
        return ScopedModelViewSet.create(self, request, *args, **kwargs)

    def create_with(self, data: dict[str, Any]) -> Model:
        group = data["group"]
        access.require(self.actor, "check_in", group)
        return check_in_services.check_in_create(
            group=group,
            actor=self.request.user,
            by=self.actor.staff,
            data=_text_fields(data, check_in_services.CHECK_IN_FIELDS),
        )

    def update_with(self, obj: Model, data: dict[str, Any]) -> Model:
        return check_in_services.check_in_update(
            check_in=obj,
            actor=self.request.user,
            data=_text_fields(data, check_in_services.CHECK_IN_FIELDS),
        )

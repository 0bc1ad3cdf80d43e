"""The API's small groups: members, goals, the stage of the cycle of inquiry, closing,
reopening, the effectiveness judgement and the evidence."""

from typing import Any

from django.db.models import Model, Prefetch, QuerySet, Value
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from cadre.collaboration import selectors
from cadre.collaboration.models import Evidence, Group, Membership
from cadre.collaboration.serializers import (
    GROUP_ORDER,
    GroupChangeSerializer,
    GroupCloseSerializer,
    GroupEvidenceAddSerializer,
    GroupEvidenceSerializer,
    GroupJudgeSerializer,
    GroupMemberSerializer,
    GroupMembershipSerializer,
    GroupNoteSerializer,
    GroupQuery,
    GroupSerializer,
    GroupStageSerializer,
)
from cadre.collaboration.services import evidence as evidence_services
from cadre.collaboration.services import groups as services
from cadre.core.api import REFUSALS, DistrictResourceViewSet, documented
from cadre.districts import access
from cadre.planning.models import Goal


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
        return services.group_create(
            district=self.actor.district,
            actor=self.request.user,
            data=data,
            goals=goals,
            members=members,
        )

    def update_with(self, obj: Model, data: dict[str, Any]) -> Model:
        data = dict(data)
        goals = data.pop("goals", None)
        return services.group_update(group=obj, actor=self.request.user, data=data, goals=goals)

    @extend_schema(
        request=None,
        responses={200: GroupSerializer, **REFUSALS},
        summary="A school leader joins a group their school takes part in",
    )
    @action(detail=True, methods=["post"])
    def join(self, request, pk=None):
        group = self.get_object()
        services.group_join(group=group, actor=request.user, staff=self.actor.staff)
        return self.respond(group)

    @extend_schema(
        request=None,
        responses={204: None, **REFUSALS},
        summary="Leave a group (the facilitator names another first)",
    )
    @action(detail=True, methods=["post"])
    def leave(self, request, pk=None):
        group = self.get_object()
        services.group_leave(group=group, actor=request.user, staff=self.actor.staff)
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
        membership = services.member_add(group=group, actor=request.user, staff=staff)
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
        services.member_remove(group=group, actor=request.user, staff=staff)
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
            services.group_stage(
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
            services.group_close(
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
        return self.respond(services.group_reopen(group=group, actor=request.user, note=note))

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
            services.group_judge(
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

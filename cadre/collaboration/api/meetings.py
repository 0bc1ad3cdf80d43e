"""The API's group meetings: attendance, reflections and the student work examined."""

from typing import Any

from django.db.models import Model, Prefetch, QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from cadre.collaboration.api.common import _text_fields
from cadre.collaboration.models import Attendance, Meeting, Reflection
from cadre.collaboration.serializers import (
    MEETING_ORDER,
    GroupMeetingChangeSerializer,
    GroupMeetingQuery,
    GroupMeetingReflectSerializer,
    GroupMeetingSerializer,
    GroupSampleUploadSerializer,
    GroupWorkSampleSerializer,
)
from cadre.collaboration.services import meetings as services
from cadre.core.api import REFUSALS, DistrictResourceViewSet, ScopedModelViewSet, documented
from cadre.districts import access


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
        return services.meeting_create(
            group=group,
            actor=self.request.user,
            data=_text_fields(data, services.MEETING_FIELDS),
            present=list(data.get("present", [])),
            recorded_by=self.actor.staff,
        )

    def update_with(self, obj: Model, data: dict[str, Any]) -> Model:
        present = data.get("present")
        return services.meeting_update(
            meeting=obj,
            actor=self.request.user,
            data=_text_fields(data, services.MEETING_FIELDS),
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
        services.reflection_save(
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
        sample = services.work_sample_add(meeting=meeting, actor=request.user, upload=upload)
        return Response(GroupWorkSampleSerializer(sample).data, status=status.HTTP_201_CREATED)

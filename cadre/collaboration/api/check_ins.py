"""The API's check-ins: school leaders' check-ins with groups."""

from typing import Any

from django.db.models import Model, QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view

from cadre.collaboration import selectors
from cadre.collaboration.api.common import _text_fields
from cadre.collaboration.models import CheckIn, Group
from cadre.collaboration.serializers import (
    CHECK_IN_ORDER,
    CheckInChangeSerializer,
    CheckInQuery,
    CheckInSerializer,
)
from cadre.collaboration.services import check_ins as services
from cadre.core.api import REFUSALS, DistrictResourceViewSet, ScopedModelViewSet
from cadre.districts import access


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
        return services.check_in_create(
            group=group,
            actor=self.request.user,
            by=self.actor.staff,
            data=_text_fields(data, services.CHECK_IN_FIELDS),
        )

    def update_with(self, obj: Model, data: dict[str, Any]) -> Model:
        return services.check_in_update(
            check_in=obj,
            actor=self.request.user,
            data=_text_fields(data, services.CHECK_IN_FIELDS),
        )

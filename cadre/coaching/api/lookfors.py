"""The coaching API's look-for checklists, a thin layer over the same access rules, selectors
and services as the pages. Look-fors describe practice: everyone in the district reads them;
administrators, program directors and coaches keep them.

A visible row the caller may not act on answers 403; a refused write answers {"code", "detail"},
400 for bad input and 409 for a step the record's state does not allow.
"""

from typing import Any

from django.db.models import Model, QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from cadre.coaching import selectors
from cadre.coaching.models import LookFor
from cadre.coaching.serializers import (
    LOOK_FOR_ORDER,
    LookForChangeSerializer,
    LookForItemAddSerializer,
    LookForItemRemoveSerializer,
    LookForItemSerializer,
    LookForQuery,
    LookForSerializer,
)
from cadre.coaching.services import lookfors as services
from cadre.core.api import REFUSALS, DistrictResourceViewSet, documented
from cadre.districts.serializers import TRI_VALUE


@documented(LookForSerializer, LookForQuery, "look-for checklists")
class LookForViewSet(DistrictResourceViewSet):
    """What implementation of a strategy or an offering looks like in a classroom: a checklist
    of items in order. Everyone reads them; administrators, program directors and coaches
    keep them."""

    model = LookFor
    serializer_class = LookForSerializer
    change_serializer_class = LookForChangeSerializer
    query_class = LookForQuery
    order = LOOK_FOR_ORDER
    object_actions = {
        "retrieve": None,
        "partial_update": "change",
        "items": "change",
        "remove_item": "change",
    }

    def everything(self) -> QuerySet:
        return selectors.look_fors(self.actor)

    def listed(self, params: dict[str, Any]) -> QuerySet:
        return selectors.look_fors(
            self.actor,
            active=TRI_VALUE[params["active"]],
            offering=params.get("offering"),
            q=params["q"].strip(),
        )

    def create_with(self, data: dict[str, Any]) -> Model:
        data = dict(data)
        items = data.pop("item_texts", [])
        return services.look_for_create(
            district=self.actor.district, actor=self.request.user, data=data, items=items
        )

    def update_with(self, obj: Model, data: dict[str, Any]) -> Model:
        return services.look_for_update(look_for=obj, actor=self.request.user, data=data)

    @extend_schema(
        request=LookForItemAddSerializer,
        responses={201: LookForItemSerializer, **REFUSALS},
        summary="Add an item, last or at a position (the others make room)",
    )
    @action(detail=True, methods=["post"])
    def items(self, request, pk=None):
        look_for = self.get_object()
        data = self.body(LookForItemAddSerializer)
        item = services.look_for_item_add(
            look_for=look_for, actor=request.user, text=data["text"], position=data.get("position")
        )
        return Response(LookForItemSerializer(item).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=LookForItemRemoveSerializer,
        responses={200: LookForSerializer, **REFUSALS},
        summary="Remove an item; one already marked in observations is retired instead",
    )
    @action(detail=True, methods=["post"], url_path="remove-item")
    def remove_item(self, request, pk=None):
        look_for = self.get_object()
        item = self.body(LookForItemRemoveSerializer, look_for=look_for)["item"]
        services.look_for_item_remove(item=item, actor=request.user)
        return self.respond(look_for)

"""The coaching API's rubrics, a thin layer over the same access rules, selectors and services
as the pages. Rubrics describe practice: everyone in the district reads them; administrators
define them.

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
from cadre.coaching.models import Rubric
from cadre.coaching.serializers import (
    RUBRIC_ORDER,
    RubricComponentAddSerializer,
    RubricComponentSerializer,
    RubricDomainAddSerializer,
    RubricDomainSerializer,
    RubricQuery,
    RubricSerializer,
)
from cadre.coaching.services import rubrics as services
from cadre.core.api import REFUSALS, DistrictResourceViewSet, documented
from cadre.districts.serializers import TRI_VALUE


@documented(RubricSerializer, RubricQuery, "rubrics")
class RubricViewSet(DistrictResourceViewSet):
    """The district's observation frameworks: domains → components → performance levels 1–4
    with their descriptors. Everyone reads them; administrators define them."""

    model = Rubric
    serializer_class = RubricSerializer
    query_class = RubricQuery
    order = RUBRIC_ORDER
    object_actions = {
        "retrieve": None,
        "partial_update": "change",
        "domains": "change",
        "components": "change",
    }

    def everything(self) -> QuerySet:
        return selectors.rubrics(self.actor, tree=True)

    def listed(self, params: dict[str, Any]) -> QuerySet:
        return selectors.rubrics(self.actor, active=TRI_VALUE[params["active"]], tree=True)

    def create_with(self, data: dict[str, Any]) -> Model:
        return services.rubric_create(
            district=self.actor.district, actor=self.request.user, data=data
        )

    def update_with(self, obj: Model, data: dict[str, Any]) -> Model:
        return services.rubric_update(rubric=obj, actor=self.request.user, data=data)

    @extend_schema(
        request=RubricDomainAddSerializer,
        responses={201: RubricDomainSerializer, **REFUSALS},
        summary="Add a domain (numbered next when no number is given)",
    )
    @action(detail=True, methods=["post"])
    def domains(self, request, pk=None):
        rubric = self.get_object()
        data = self.body(RubricDomainAddSerializer)
        domain = services.domain_create(rubric=rubric, actor=request.user, data=dict(data))
        return Response(RubricDomainSerializer(domain).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=RubricComponentAddSerializer,
        responses={201: RubricComponentSerializer, **REFUSALS},
        summary="Add a component to one of the rubric's domains, with its four levels",
    )
    @action(detail=True, methods=["post"])
    def components(self, request, pk=None):
        rubric = self.get_object()
        data = self.body(RubricComponentAddSerializer, rubric=rubric)
        component = services.component_create(
            domain=data["domain"],
            actor=request.user,
            data={"code": data["code"], "name": data["name"]},
            levels=[dict(level) for level in data["levels"]],
        )
        return Response(RubricComponentSerializer(component).data, status=status.HTTP_201_CREATED)

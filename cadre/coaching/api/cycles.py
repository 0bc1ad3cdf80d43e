"""The coaching API's cycles, a thin layer over the same access rules, selectors and services
as the pages. Coaching cycles are the pair's alone (ARCHITECTURE rule 3): the coach and the
teacher list and read them; everyone else, principals and administrators included, gets an
empty list and 404. Leaders follow counts and dates on the pages' overview instead.

A visible row the caller may not act on answers 403; a refused write answers {"code", "detail"},
400 for bad input and 409 for a step the record's state does not allow.
"""

from typing import Any

from django.db.models import Model, QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action

from cadre.coaching import selectors
from cadre.coaching.models import Cycle
from cadre.coaching.serializers import (
    CYCLE_ORDER,
    CoachingCycleChangeSerializer,
    CoachingCycleQuery,
    CoachingCycleSerializer,
    CycleAdvanceSerializer,
    CycleReflectSerializer,
)
from cadre.coaching.services import cycles as services
from cadre.core.api import REFUSALS, DistrictResourceViewSet, documented
from cadre.districts.serializers import TRI_VALUE


@documented(CoachingCycleSerializer, CoachingCycleQuery, "your coaching cycles")
class CoachingCycleViewSet(DistrictResourceViewSet):
    """Coaching cycles, coach × teacher: the goal (linked to the teacher's professional goal
    or an offering), the stage (goal-setting → pre-conference → observation → debrief →
    reflection → closed), virtual coaching by video link, the conference notes and the
    teacher's reflection. Only the pair reaches a cycle."""

    model = Cycle
    serializer_class = CoachingCycleSerializer
    change_serializer_class = CoachingCycleChangeSerializer
    query_class = CoachingCycleQuery
    order = CYCLE_ORDER
    object_actions = {
        "retrieve": None,  # the pair: visibility is the whole rule
        "partial_update": "change",
        "advance": "advance",
        "reflect": "reflect",
    }

    def everything(self) -> QuerySet:
        return selectors.cycles(self.actor)

    def listed(self, params: dict[str, Any]) -> QuerySet:
        is_open = TRI_VALUE[params["open"]]
        qs = selectors.cycles(
            self.actor,
            role=params.get("role", ""),
            stage=params.get("stage", ""),
            open_only=is_open is True,
        )
        if is_open is False:
            qs = qs.filter(stage=Cycle.Stage.CLOSED)
        if params.get("school_year"):
            qs = qs.filter(school_year_id=params["school_year"])
        return qs

    def create_with(self, data: dict[str, Any]) -> Model:
        return services.cycle_create(
            district=self.actor.district,
            actor=self.request.user,
            coach=self.actor.staff,
            teacher=data["teacher"],
            goal=data["goal"],
            professional_goal=data.get("professional_goal"),
            offering=data.get("offering"),
            is_virtual=data.get("is_virtual", False),
            video_link=data.get("video_link", ""),
            started_on=data.get("started_on"),
        )

    def update_with(self, obj: Model, data: dict[str, Any]) -> Model:
        return services.cycle_update(cycle=obj, actor=self.request.user, data=data)

    @extend_schema(
        request=CycleAdvanceSerializer,
        responses={200: CoachingCycleSerializer, **REFUSALS},
        summary="The coach moves the cycle one stage on (or back); the last step closes it",
    )
    @action(detail=True, methods=["post"])
    def advance(self, request, pk=None):
        cycle = self.get_object()
        back = self.body(CycleAdvanceSerializer)["back"]
        return self.respond(services.cycle_advance(cycle=cycle, actor=request.user, back=back))

    @extend_schema(
        request=CycleReflectSerializer,
        responses={200: CoachingCycleSerializer, **REFUSALS},
        summary="The teacher's reflection on the cycle, while it is open",
    )
    @action(detail=True, methods=["post"])
    def reflect(self, request, pk=None):
        cycle = self.get_object()
        text = self.body(CycleReflectSerializer)["reflection"]
        return self.respond(
            services.cycle_reflect(cycle=cycle, actor=request.user, reflection=text)
        )

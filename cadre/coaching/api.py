"""The coaching API: a thin layer over the same access rules, selectors and services as the
pages.

- Coaching cycles are the pair's alone (ARCHITECTURE rule 3): the coach and the teacher list
  and read them; everyone else, principals and administrators included, gets an empty list
  and 404. Leaders follow counts and dates on the pages' overview instead.
- An observation is the observer's, and the observed teacher's once it is shared; nobody
  else reaches it. The observer autosaves the draft (PATCH), shares it; the teacher
  acknowledges it, with a comment.
- Rubrics and look-fors describe practice: everyone in the district reads them.
  Administrators define rubrics; administrators, program directors and coaches keep
  look-fors.
- Implementation rates (walkthroughs' look-fors seen, per offering, school or strategy and
  month) are for PD leaders, aggregated, with cells of fewer than three teachers suppressed.
- A visible row the caller may not act on answers 403 (`access.require`, before the body is
  read where the right does not depend on the body). Writes call `services`; a refusal is
  {"code", "detail"}: 400 for bad input, 409 for a step the record's state does not allow.
"""

from typing import Any

from django.db.models import Model, Prefetch, QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from cadre.coaching import selectors
from cadre.coaching.models import Cycle, LookFor, Mark, Observation, Rating, Rubric
from cadre.coaching.serializers import (
    CYCLE_ORDER,
    LOOK_FOR_ORDER,
    OBSERVATION_ORDER,
    RUBRIC_ORDER,
    CoachingCycleChangeSerializer,
    CoachingCycleQuery,
    CoachingCycleSerializer,
    CycleAdvanceSerializer,
    CycleReflectSerializer,
    ImplementationQuery,
    ImplementationSerializer,
    LookForChangeSerializer,
    LookForItemAddSerializer,
    LookForItemRemoveSerializer,
    LookForItemSerializer,
    LookForQuery,
    LookForSerializer,
    ObservationAcknowledgeSerializer,
    ObservationChangeSerializer,
    ObservationQuery,
    ObservationSerializer,
    RubricComponentAddSerializer,
    RubricComponentSerializer,
    RubricDomainAddSerializer,
    RubricDomainSerializer,
    RubricQuery,
    RubricSerializer,
)
from cadre.coaching.services import cycles, lookfors, observations, rubrics
from cadre.core.api import REFUSALS, DistrictResourceViewSet, documented
from cadre.districts import access
from cadre.districts.serializers import TRI_VALUE

Kind = Observation.Kind


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
        return cycles.cycle_create(
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
        return cycles.cycle_update(cycle=obj, actor=self.request.user, data=data)

    @extend_schema(
        request=CycleAdvanceSerializer,
        responses={200: CoachingCycleSerializer, **REFUSALS},
        summary="The coach moves the cycle one stage on (or back); the last step closes it",
    )
    @action(detail=True, methods=["post"])
    def advance(self, request, pk=None):
        cycle = self.get_object()
        back = self.body(CycleAdvanceSerializer)["back"]
        return self.respond(cycles.cycle_advance(cycle=cycle, actor=request.user, back=back))

    @extend_schema(
        request=CycleReflectSerializer,
        responses={200: CoachingCycleSerializer, **REFUSALS},
        summary="The teacher's reflection on the cycle, while it is open",
    )
    @action(detail=True, methods=["post"])
    def reflect(self, request, pk=None):
        cycle = self.get_object()
        text = self.body(CycleReflectSerializer)["reflection"]
        return self.respond(cycles.cycle_reflect(cycle=cycle, actor=request.user, reflection=text))


# --- observations --------------------------------------------------------------------------


def _cell(cell: selectors.Cell) -> dict[str, Any]:
    """A cell as the API shows it: no figure at all when suppressed."""
    if cell.suppressed:
        return {
            "suppressed": True,
            "rate": None,
            "seen": None,
            "marked": None,
            "walkthroughs": None,
            "teachers": None,
        }
    return {
        "suppressed": False,
        "rate": cell.rate,
        "seen": cell.seen,
        "marked": cell.marked,
        "walkthroughs": cell.walkthroughs,
        "teachers": cell.teachers,
    }


@documented(ObservationSerializer, ObservationQuery, "observations")
class ObservationViewSet(DistrictResourceViewSet):
    """Observations of every kind (coaching, peer, mentor, implementation walkthrough), with
    their rubric ratings and look-for marks. Non-evaluative support: the observer's, and the
    observed teacher's once shared."""

    model = Observation
    serializer_class = ObservationSerializer
    change_serializer_class = ObservationChangeSerializer
    query_class = ObservationQuery
    order = OBSERVATION_ORDER
    object_actions = {
        "retrieve": None,  # the observer, and the teacher once shared: visibility decides
        "partial_update": "change",
        "share": "share",
        "acknowledge": "acknowledge",
    }

    def everything(self) -> QuerySet:
        return self.listed({})

    def listed(self, params: dict[str, Any]) -> QuerySet:
        qs = (
            selectors.observations(
                self.actor,
                side=params.get("side", ""),
                kind=params.get("kind", ""),
                status=params.get("status", ""),
            )
            .select_related("visit")
            .prefetch_related(
                Prefetch("ratings", Rating.objects.select_related("component")),
                Prefetch("marks", Mark.objects.select_related("item")),
            )
        )
        for name in ("school_year", "cycle"):
            if params.get(name):
                qs = qs.filter(**{f"{name}_id": params[name]})
        return qs

    def create_with(self, data: dict[str, Any]) -> Model:
        kind, cycle, visit = data["kind"], data.get("cycle"), data.get("visit")
        # Who may observe from a cycle, a visit or as a walkthrough is the rules'; when the
        # body names what it comes from, the rule is asked of it (403), else the service says
        # what is missing (400).
        if kind == Kind.WALKTHROUGH:
            access.require(self.actor, "walkthrough", Observation)
        elif kind == Kind.COACHING and cycle is not None:
            access.require(self.actor, "observe", cycle)
        elif kind == Kind.PEER and visit is not None:
            access.require(self.actor, "record", visit)
        return observations.observation_create(
            district=self.actor.district,
            actor=self.request.user,
            kind=kind,
            observer=self.actor.staff,
            teacher=data.get("teacher"),
            cycle=cycle,
            visit=visit,
            rubric=data.get("rubric"),
            look_for=data.get("look_for"),
            offering=data.get("offering"),
            observed_on=data.get("observed_on"),
            focus=data.get("focus", ""),
        )

    def update_with(self, obj: Model, data: dict[str, Any]) -> Model:
        fields = {name: data[name] for name in observations.AUTOSAVED if name in data}
        return observations.observation_autosave(
            observation=obj,
            actor=self.request.user,
            data=fields,
            ratings=data.get("ratings"),
            marks=data.get("marks"),
        )

    @extend_schema(
        request=None,
        responses={200: ObservationSerializer, **REFUSALS},
        summary="Share the draft with the teacher, who may then read and acknowledge it",
    )
    @action(detail=True, methods=["post"])
    def share(self, request, pk=None):
        observation = self.get_object()
        return self.respond(
            observations.observation_share(observation=observation, actor=request.user)
        )

    @extend_schema(
        request=ObservationAcknowledgeSerializer,
        responses={200: ObservationSerializer, **REFUSALS},
        summary="The observed teacher acknowledges it (read, not agreed), with a comment",
    )
    @action(detail=True, methods=["post"])
    def acknowledge(self, request, pk=None):
        observation = self.get_object()
        comment = self.body(ObservationAcknowledgeSerializer)["comment"]
        return self.respond(
            observations.observation_acknowledge(
                observation=observation, actor=request.user, comment=comment
            )
        )

    @extend_schema(
        parameters=[ImplementationQuery],
        responses={200: ImplementationSerializer, **REFUSALS},
        summary="Implementation rates from walkthroughs, per month: for PD leaders, aggregated",
    )
    @action(detail=False, methods=["get"])
    def implementation(self, request):
        access.require(self.actor, "implementation", Observation)  # before the parameters
        query = ImplementationQuery(data=request.query_params.dict())
        query.is_valid(raise_exception=True)
        params = query.validated_data
        year = selectors.pick_year(
            self.actor, selectors.school_years(self.actor), params.get("school_year")
        )
        if year is None or (params.get("school_year") and year.pk != params["school_year"]):
            raise ValidationError({"school_year": ["No such school year."]})
        found = selectors.implementation(
            self.actor, year, by=params["by"], school=params.get("school")
        )
        body = {
            "school_year": year.pk,
            "school_year_name": year.name,
            "by": found.by,
            "months": found.months,
            "min_teachers": found.min_teachers,
            "rows": [
                {
                    "key": None if row.key is None else str(row.key),
                    "label": str(row.label),
                    "months": [_cell(c) for c in row.months],
                    "total": _cell(row.total),
                }
                for row in found.rows
            ],
            "total": _cell(found.total),
        }
        return Response(ImplementationSerializer(body).data)


# --- rubrics -------------------------------------------------------------------------------


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
        return rubrics.rubric_create(
            district=self.actor.district, actor=self.request.user, data=data
        )

    def update_with(self, obj: Model, data: dict[str, Any]) -> Model:
        return rubrics.rubric_update(rubric=obj, actor=self.request.user, data=data)

    @extend_schema(
        request=RubricDomainAddSerializer,
        responses={201: RubricDomainSerializer, **REFUSALS},
        summary="Add a domain (numbered next when no number is given)",
    )
    @action(detail=True, methods=["post"])
    def domains(self, request, pk=None):
        rubric = self.get_object()
        data = self.body(RubricDomainAddSerializer)
        domain = rubrics.domain_create(rubric=rubric, actor=request.user, data=dict(data))
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
        component = rubrics.component_create(
            domain=data["domain"],
            actor=request.user,
            data={"code": data["code"], "name": data["name"]},
            levels=[dict(level) for level in data["levels"]],
        )
        return Response(RubricComponentSerializer(component).data, status=status.HTTP_201_CREATED)


# --- look-fors -----------------------------------------------------------------------------


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
        return lookfors.look_for_create(
            district=self.actor.district, actor=self.request.user, data=data, items=items
        )

    def update_with(self, obj: Model, data: dict[str, Any]) -> Model:
        return lookfors.look_for_update(look_for=obj, actor=self.request.user, data=data)

    @extend_schema(
        request=LookForItemAddSerializer,
        responses={201: LookForItemSerializer, **REFUSALS},
        summary="Add an item, last or at a position (the others make room)",
    )
    @action(detail=True, methods=["post"])
    def items(self, request, pk=None):
        look_for = self.get_object()
        data = self.body(LookForItemAddSerializer)
        item = lookfors.look_for_item_add(
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
        lookfors.look_for_item_remove(item=item, actor=request.user)
        return self.respond(look_for)

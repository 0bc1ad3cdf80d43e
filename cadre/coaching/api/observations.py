"""The coaching API's observations, a thin layer over the same access rules, selectors and
services as the pages.

- An observation is the observer's, and the observed teacher's once it is shared; nobody
  else reaches it. The observer autosaves the draft (PATCH), shares it; the teacher
  acknowledges it, with a comment.
- Implementation rates (walkthroughs' look-fors seen, per offering, school or strategy and
  month) are for PD leaders, aggregated, with cells of fewer than three teachers suppressed.

A visible row the caller may not act on answers 403; a refused write answers {"code", "detail"},
400 for bad input and 409 for a step the record's state does not allow.
"""

from typing import Any

from django.db.models import Model, Prefetch, QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from cadre.coaching import selectors
from cadre.coaching.models import Mark, Observation, Rating
from cadre.coaching.serializers import (
    OBSERVATION_ORDER,
    ImplementationQuery,
    ImplementationSerializer,
    ObservationAcknowledgeSerializer,
    ObservationChangeSerializer,
    ObservationQuery,
    ObservationSerializer,
)
from cadre.coaching.services import observations as services
from cadre.core.api import REFUSALS, DistrictResourceViewSet, documented
from cadre.districts import access

Kind = Observation.Kind


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
        return services.observation_create(
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
        fields = {name: data[name] for name in services.AUTOSAVED if name in data}
        return services.observation_autosave(
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
        return self.respond(services.observation_share(observation=observation, actor=request.user))

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
            services.observation_acknowledge(
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

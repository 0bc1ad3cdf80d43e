"""The districts API: a thin layer over the same selectors, access rules and services as the pages.

- Lists and lookups read through `selectors`, which start from `access.visible`: a row outside
  the caller's district or scope is simply not there (404).
- A visible row the caller may not change answers 403 (`access.require`).
- Writes call `services`; a refused action surfaces as {"code", "detail"} (400 or 409).
"""

from typing import Any

from django.db.models import Model, QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.response import Response

from cadre.core.api import REFUSALS, DistrictResourceViewSet, documented
from cadre.districts import selectors, services
from cadre.districts.models import Assignment, Program, School, SchoolYear, Staff
from cadre.districts.serializers import (
    ASSIGNMENT_ORDER,
    PROGRAM_ORDER,
    SCHOOL_ORDER,
    SCHOOL_YEAR_ORDER,
    STAFF_ORDER,
    TRI_VALUE,
    AssignmentQuery,
    AssignmentSerializer,
    ProgramQuery,
    ProgramSerializer,
    ReasonSerializer,
    SchoolQuery,
    SchoolSerializer,
    SchoolYearQuery,
    SchoolYearSerializer,
    StaffQuery,
    StaffSerializer,
    with_support,
)


@documented(SchoolSerializer, SchoolQuery, "schools")
class SchoolViewSet(DistrictResourceViewSet):
    """Schools of the caller's district. Every staff member reads them; admins write."""

    list_right = None  # the selector decides which rows a list shows
    model = School
    serializer_class = SchoolSerializer
    query_class = SchoolQuery
    order = SCHOOL_ORDER

    def everything(self) -> QuerySet:
        return selectors.school_list(self.actor, active=None)

    def listed(self, params: dict[str, Any]) -> QuerySet:
        return selectors.school_list(
            self.actor, q=params["q"].strip(), active=TRI_VALUE[params["active"]]
        )

    def create_with(self, data: dict[str, Any]) -> Model:
        return services.school_create(
            district=self.actor.district, actor=self.request.user, data=data
        )

    def update_with(self, obj: Model, data: dict[str, Any]) -> Model:
        return services.school_update(school=obj, actor=self.request.user, data=data)


@documented(ProgramSerializer, ProgramQuery, "programs")
class ProgramViewSet(DistrictResourceViewSet):
    """Programs (Title I, Special Education …) and the schools they cover."""

    list_right = None  # the selector decides which rows a list shows
    model = Program
    serializer_class = ProgramSerializer
    query_class = ProgramQuery
    order = PROGRAM_ORDER

    def everything(self) -> QuerySet:
        return selectors.program_list(self.actor, active=None)

    def listed(self, params: dict[str, Any]) -> QuerySet:
        return selectors.program_list(
            self.actor, q=params["q"].strip(), active=TRI_VALUE[params["active"]]
        )

    def create_with(self, data: dict[str, Any]) -> Model:
        return services.program_create(
            district=self.actor.district, actor=self.request.user, data=data
        )

    def update_with(self, obj: Model, data: dict[str, Any]) -> Model:
        return services.program_update(program=obj, actor=self.request.user, data=data)


@documented(SchoolYearSerializer, SchoolYearQuery, "school years")
class SchoolYearViewSet(DistrictResourceViewSet):
    """School years. Exactly one is current; make-current switches it."""

    list_right = None  # the selector decides which rows a list shows
    model = SchoolYear
    serializer_class = SchoolYearSerializer
    query_class = SchoolYearQuery
    order = SCHOOL_YEAR_ORDER
    object_actions = {**DistrictResourceViewSet.object_actions, "make_current": "change"}

    def everything(self) -> QuerySet:
        return selectors.school_year_list(self.actor)

    def listed(self, params: dict[str, Any]) -> QuerySet:
        return selectors.school_year_list(self.actor)

    def create_with(self, data: dict[str, Any]) -> Model:
        return services.school_year_create(
            district=self.actor.district, actor=self.request.user, data=data
        )

    def update_with(self, obj: Model, data: dict[str, Any]) -> Model:
        return services.school_year_update(school_year=obj, actor=self.request.user, data=data)

    @extend_schema(
        request=None,
        responses={200: SchoolYearSerializer, **REFUSALS},
        summary="Make this the current school year",
    )
    @action(detail=True, methods=["post"], url_path="make-current")
    def make_current(self, request, pk=None):
        year = services.school_year_make_current(school_year=self.get_object(), actor=request.user)
        return Response(self.get_serializer(self.fresh(year)).data)


@documented(StaffSerializer, StaffQuery, "staff")
class StaffViewSet(DistrictResourceViewSet):
    """Staff the caller may see: admins their whole district, principals and assistant
    principals their schools' staff, program directors their programs' staff, everyone
    themselves. People are never deleted; they are deactivated."""

    list_right = None  # the selector decides which rows a list shows
    model = Staff
    serializer_class = StaffSerializer
    query_class = StaffQuery
    order = STAFF_ORDER
    object_actions = {
        **DistrictResourceViewSet.object_actions,
        "deactivate": "deactivate",
        "reactivate": "deactivate",
    }

    def everything(self) -> QuerySet:
        return self._with_support(selectors.staff_list(self.actor, active=None))

    def _with_support(self, qs: QuerySet) -> QuerySet:
        """What each row's mentoring eligibility needs: one query for the page."""
        return with_support(qs, self.actor.today)

    def listed(self, params: dict[str, Any]) -> QuerySet:
        return self._with_support(
            selectors.staff_list(
                self.actor,
                q=params["q"].strip(),
                school=params.get("school"),
                program=params.get("program"),
                role=params.get("role", ""),
                active=TRI_VALUE[params["active"]],
                new_teacher=params["new_teacher"],
                experience_unknown=params["experience_unknown"],
            )
        )

    def create_with(self, data: dict[str, Any]) -> Model:
        return services.staff_create(
            district=self.actor.district, actor=self.request.user, data=data
        )

    def update_with(self, obj: Model, data: dict[str, Any]) -> Model:
        return services.staff_update(staff=obj, actor=self.request.user, data=data)

    def _transition(self, request, service) -> Response:
        staff = self.get_object()
        body = ReasonSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        service(staff=staff, actor=request.user, reason=body.validated_data["reason"].strip())
        return Response(self.get_serializer(self.fresh(staff)).data)

    @extend_schema(
        request=ReasonSerializer,
        responses={200: StaffSerializer, **REFUSALS},
        summary="Deactivate: the person stops signing in and leaves lists",
    )
    @action(detail=True, methods=["post"])
    def deactivate(self, request, pk=None):
        return self._transition(request, services.staff_deactivate)

    @extend_schema(
        request=ReasonSerializer,
        responses={200: StaffSerializer, **REFUSALS},
        summary="Reactivate a deactivated person",
    )
    @action(detail=True, methods=["post"])
    def reactivate(self, request, pk=None):
        return self._transition(request, services.staff_reactivate)


@documented(AssignmentSerializer, AssignmentQuery, "assignments")
class AssignmentViewSet(DistrictResourceViewSet):
    """Who works where, in which role: to a school, to a program, or district-wide."""

    list_right = None  # the selector decides which rows a list shows
    model = Assignment
    serializer_class = AssignmentSerializer
    query_class = AssignmentQuery
    order = ASSIGNMENT_ORDER

    def everything(self) -> QuerySet:
        return selectors.assignment_list(self.actor, current=None)

    def listed(self, params: dict[str, Any]) -> QuerySet:
        return selectors.assignment_list(
            self.actor,
            q=params["q"].strip(),
            staff=params.get("staff"),
            school=params.get("school"),
            program=params.get("program"),
            role=params.get("role", ""),
            current=TRI_VALUE[params["current"]],
        )

    def create_with(self, data: dict[str, Any]) -> Model:
        return services.assignment_create(
            district=self.actor.district, actor=self.request.user, data=data
        )

    def update_with(self, obj: Model, data: dict[str, Any]) -> Model:
        return services.assignment_update(assignment=obj, actor=self.request.user, data=data)

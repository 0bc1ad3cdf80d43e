"""The growth API: a thin layer over the same access rules and services as the pages.

- Lists and lookups start from `access.visible`: the author sees their own goals and requests,
  the school's leaders their staff's, the program director their program staff's, district
  administrators all. Anything else is simply not there (404).
- A visible row the caller may not act on answers 403 (`access.require`, before the body is
  read, so a refused caller learns nothing from validation).
- Writes call `services`; a refused action surfaces as {"code", "detail"}: 400 for bad input,
  409 for a step the record's state (or the ISD balance) does not allow.
"""

from types import SimpleNamespace
from typing import Any

from django.db.models import Model, Prefetch, QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from cadre.core.api import REFUSALS, DistrictResourceViewSet, documented
from cadre.districts import access
from cadre.districts.models import SchoolYear, Staff
from cadre.growth import services
from cadre.growth.models import IsdAllotment, IsdAttachment, IsdRequest, ProfessionalGoal
from cadre.growth.serializers import (
    ALLOTMENT_ORDER,
    GOAL_ORDER,
    REQUEST_ORDER,
    AttachmentUploadSerializer,
    BalanceQuery,
    BalanceSerializer,
    CompleteSerializer,
    IsdAllotmentChangeSerializer,
    IsdAllotmentQuery,
    IsdAllotmentSerializer,
    IsdAttachmentSerializer,
    IsdReasonSerializer,
    IsdRequestQuery,
    IsdRequestSerializer,
    ProfessionalGoalChangeSerializer,
    ProfessionalGoalQuery,
    ProfessionalGoalSerializer,
    ReflectSerializer,
    ReimburseSerializer,
)
from cadre.planning.api import _changes
from cadre.planning.models import Goal
from cadre.planning.serializers import CommentSerializer

SUPERVISED_RELATED = ("staff", "school", "program", "school_year", "decided_by")


def _filter(qs: QuerySet, params: dict[str, Any], *names: str) -> QuerySet:
    for name in names:
        if params.get(name):
            column = name if name == "status" else f"{name}_id"
            qs = qs.filter(**{column: params[name]})
    return qs


# --- professional goals --------------------------------------------------------------------


@documented(ProfessionalGoalSerializer, ProfessionalGoalQuery, "professional goals")
class ProfessionalGoalViewSet(DistrictResourceViewSet):
    """Yearly professional goals: draft (autosaved through PATCH) → submitted → approved, or
    returned with a comment and resubmitted. The author may withdraw a submitted goal until
    it is decided, and reflects on an approved one at year end."""

    model = ProfessionalGoal
    serializer_class = ProfessionalGoalSerializer
    change_serializer_class = ProfessionalGoalChangeSerializer
    query_class = ProfessionalGoalQuery
    order = GOAL_ORDER
    object_actions = {
        **DistrictResourceViewSet.object_actions,
        "submit": "submit",
        "withdraw": "withdraw",
        "approve": "approve",
        "return_": "return",
        "reflect": "reflect",
    }

    def everything(self) -> QuerySet:
        return self.listed({})

    def listed(self, params: dict[str, Any]) -> QuerySet:
        qs = (
            access.visible(self.actor, ProfessionalGoal)
            .select_related(*SUPERVISED_RELATED)
            .prefetch_related("decided_by__staff_records")
            .prefetch_related(Prefetch("aligns_to", Goal.objects.only("pk")))
        )
        return _filter(qs, params, "school_year", "status", "staff", "school", "program")

    def create_with(self, data: dict[str, Any]) -> Model:
        return services.goal_create(
            staff=self.actor.staff,
            actor=self.request.user,
            data=data,
            aligns_to=data.get("aligns_to", []),
        )

    def update_with(self, obj: Model, data: dict[str, Any]) -> Model:
        return services.goal_update(
            goal=obj, actor=self.request.user, data=data, **_changes(data, "aligns_to")
        )

    def _step(self, service, **kwargs) -> Response:
        goal = self.get_object()
        return self.respond(service(goal=goal, actor=self.request.user, **kwargs))

    @extend_schema(
        request=None,
        responses={200: ProfessionalGoalSerializer, **REFUSALS},
        summary="Submit to your principal or program director",
    )
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return self._step(services.goal_submit)

    @extend_schema(
        request=None,
        responses={200: ProfessionalGoalSerializer, **REFUSALS},
        summary="Withdraw a submitted goal to edit it again",
    )
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        return self._step(services.goal_withdraw)

    @extend_schema(
        request=None,
        responses={200: ProfessionalGoalSerializer, **REFUSALS},
        summary="Approve a submitted goal",
    )
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self._step(services.goal_approve)

    @extend_schema(
        request=CommentSerializer,
        responses={200: ProfessionalGoalSerializer, **REFUSALS},
        summary="Return a submitted goal, saying what to change",
    )
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_(self, request, pk=None):
        goal = self.get_object()
        comment = self.body(CommentSerializer)["comment"]
        return self.respond(services.goal_return(goal=goal, actor=request.user, comment=comment))

    @extend_schema(
        request=ReflectSerializer,
        responses={200: ProfessionalGoalSerializer, **REFUSALS},
        summary="Reflect on an approved goal at year end: met, partly met or not met",
    )
    @action(detail=True, methods=["post"])
    def reflect(self, request, pk=None):
        goal = self.get_object()
        data = self.body(ReflectSerializer)
        return self.respond(services.goal_reflect(goal=goal, actor=request.user, data=data))


# --- ISD allotments ------------------------------------------------------------------------


@documented(IsdAllotmentSerializer, IsdAllotmentQuery, "ISD allotments")
class IsdAllotmentViewSet(DistrictResourceViewSet):
    """The yearly ISD allotments, by bargaining unit and role, from the contracts. Everyone
    reads them; district administrators set them. balance/ says what one person has left."""

    model = IsdAllotment
    serializer_class = IsdAllotmentSerializer
    change_serializer_class = IsdAllotmentChangeSerializer
    query_class = IsdAllotmentQuery
    order = ALLOTMENT_ORDER
    # The contract figures are no secret: whoever may list them may read each one.
    object_actions = {"retrieve": "list", "partial_update": "change"}

    def everything(self) -> QuerySet:
        return self.listed({})

    def listed(self, params: dict[str, Any]) -> QuerySet:
        qs = access.visible(self.actor, IsdAllotment).select_related("school_year", "source")
        return _filter(qs, params, "school_year")

    def create_with(self, data: dict[str, Any]) -> Model:
        return services.allotment_create(
            district=self.actor.district, actor=self.request.user, data=data
        )

    def update_with(self, obj: Model, data: dict[str, Any]) -> Model:
        return services.allotment_update(allotment=obj, actor=self.request.user, data=data)

    @extend_schema(
        parameters=[BalanceQuery],
        responses={200: BalanceSerializer, **REFUSALS},
        summary="A staff member's ISD balance for a school year (you, this year, by default)",
    )
    @action(detail=False, methods=["get"])
    def balance(self, request):
        access.require(self.actor, "list", IsdAllotment)
        query = BalanceQuery(data=request.query_params.dict())
        query.is_valid(raise_exception=True)
        params = query.validated_data
        staff = (
            access.get_visible_or_404(self.actor, Staff, pk=params["staff"])
            if params.get("staff")
            else self.actor.staff
        )
        year = (
            access.get_visible_or_404(self.actor, SchoolYear, pk=params["school_year"])
            if params.get("school_year")
            else services.current_year(self.actor.district)
        )
        have = services.balance(staff, year)
        body = SimpleNamespace(staff=staff, school_year=year, balance=have)
        return Response(BalanceSerializer(body).data)


# --- ISD requests --------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(parameters=[IsdRequestQuery], summary="List ISD requests"),
    retrieve=extend_schema(summary="One of the ISD requests"),
    create=extend_schema(responses={201: IsdRequestSerializer, **REFUSALS}),
)
class IsdRequestViewSet(DistrictResourceViewSet):
    """Requests to spend the ISD allotment. A request changes only through its workflow:
    submitted → approved (encumbered on the ISD source) or denied → completed, with evidence →
    reimbursed (the expenditure is posted); or cancelled, which releases what it held."""

    model = IsdRequest
    serializer_class = IsdRequestSerializer
    query_class = IsdRequestQuery
    order = REQUEST_ORDER
    http_method_names = ["get", "post", "head", "options"]
    object_actions = {
        **DistrictResourceViewSet.object_actions,
        "approve": "approve",
        "deny": "deny",
        "complete": "complete",
        "reimburse": "reimburse",
        "cancel": "cancel",
        "attachments": "attach",
    }

    def everything(self) -> QuerySet:
        return self.listed({})

    def listed(self, params: dict[str, Any]) -> QuerySet:
        qs = (
            access.visible(self.actor, IsdRequest)
            .select_related(*SUPERVISED_RELATED, "goal", "offering")
            .prefetch_related("decided_by__staff_records")
            .prefetch_related(Prefetch("attachments", IsdAttachment.objects.defer("file")))
        )
        return _filter(qs, params, "status", "staff", "school_year")

    def create_with(self, data: dict[str, Any]) -> Model:
        return services.isd_request_create(
            staff=self.actor.staff, actor=self.request.user, data=data
        )

    def _step(self, service, body=None, **names) -> Response:
        request = self.get_object()
        data = self.body(body) if body else {}
        kwargs = {arg: data[field] for arg, field in names.items()}
        return self.respond(service(request=request, actor=self.request.user, **kwargs))

    @extend_schema(
        request=None,
        responses={200: IsdRequestSerializer, **REFUSALS},
        summary="Approve: the cost is encumbered on the ISD source (409 beyond the balance)",
    )
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self._step(services.isd_approve)

    @extend_schema(
        request=IsdReasonSerializer,
        responses={200: IsdRequestSerializer, **REFUSALS},
        summary="Deny, saying why",
    )
    @action(detail=True, methods=["post"])
    def deny(self, request, pk=None):
        return self._step(services.isd_deny, IsdReasonSerializer, reason="reason")

    @extend_schema(
        request=CompleteSerializer,
        responses={200: IsdRequestSerializer, **REFUSALS},
        summary="Mark an approved request completed, with evidence",
    )
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        return self._step(services.isd_complete, CompleteSerializer, note="note")

    @extend_schema(
        request=ReimburseSerializer,
        responses={200: IsdRequestSerializer, **REFUSALS},
        summary="Record the reimbursement: the amount actually paid is posted as spent",
    )
    @action(detail=True, methods=["post"])
    def reimburse(self, request, pk=None):
        return self._step(services.isd_reimburse, ReimburseSerializer, paid_amount="paid_amount")

    @extend_schema(
        request=IsdReasonSerializer,
        responses={200: IsdRequestSerializer, **REFUSALS},
        summary="Cancel, saying why; what the request held is released",
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        return self._step(services.isd_cancel, IsdReasonSerializer, reason="reason")

    @extend_schema(
        request={"multipart/form-data": AttachmentUploadSerializer},
        responses={201: IsdAttachmentSerializer, **REFUSALS},
        summary="Attach a receipt or proof: PDF, PNG or JPEG, at most 10 MB",
    )
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser])
    def attachments(self, request, pk=None):
        isd_request = self.get_object()
        upload = self.body(AttachmentUploadSerializer)["file"]
        item = services.isd_attach(request=isd_request, actor=request.user, upload=upload)
        return Response(IsdAttachmentSerializer(item).data, status=status.HTTP_201_CREATED)

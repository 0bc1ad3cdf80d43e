"""The catalogue API for partners, offerings, sessions and meetings: a thin layer over the
same access rules, selectors and services as the pages.

- `partners`: everyone reads, administrators write. Contacts come nested (read-only); the
  agreements too, but only for those who may see agreements (leaders and the business
  office); for anyone else `agreements` is null.
- `offerings`: the catalogue's filters (`q`, `format`, `focus`, `role`, `subject`,
  `grade_band`, `school`, `from`, `to`, `credit`, `provider`) plus `status`. Managers create
  (for the district as an administrator, or for a school or program they lead) and PATCH;
  `publish` and `archive` are transitions (409 when the state forbids them).
- `sessions`: filter by `offering`, `from`, `to`, `status`. Managers create and PATCH;
  `cancel` cancels. Each session carries its meetings, read-only.
- `meetings`: a session's meetings (or modules, when self-paced) are written through their own
  resource: POST with `session`, PATCH, DELETE. Start and end are ISO date-times; give an
  offset, else the district's time zone is assumed. Every change recomputes the session's
  start, end and credited minutes.
"""

from decimal import Decimal
from types import SimpleNamespace
from typing import Any

from django.db.models import Model, Prefetch, QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.response import Response

from cadre.catalog import credit
from cadre.catalog.models import (
    Category,
    CreditKind,
    FocusArea,
    Meeting,
    Offering,
    Partner,
    PartnerAgreement,
    PartnerContact,
    Session,
)
from cadre.catalog.selectors import offerings as selectors
from cadre.catalog.services import offerings as services
from cadre.core.api import REFUSALS, DistrictResourceViewSet, documented
from cadre.districts import access
from cadre.districts.models import Program, Role, School, SchoolYear, Staff
from cadre.districts.serializers import _id, _ordering, _search
from cadre.funding.models import FundingSource
from cadre.planning.models import Goal
from cadre.planning.serializers import _label, _link, _links

MONEY = {"max_digits": 12, "decimal_places": 2}
PROVIDER_HELP = "A partner's id, or \"district\" for the district's own offerings."


# --- partners --------------------------------------------------------------------------------


class PartnerContactSerializer(serializers.ModelSerializer):
    class Meta:
        model = PartnerContact
        fields = ["id", "name", "title", "email", "phone"]
        read_only_fields = fields


class PartnerAgreementSerializer(serializers.ModelSerializer):
    class Meta:
        model = PartnerAgreement
        fields = [
            "id",
            "title",
            "start_date",
            "end_date",
            "scope",
            "cost",
            "credit_kind",
            "credits",
        ]
        read_only_fields = fields


class PartnerSerializer(serializers.ModelSerializer):
    contacts = PartnerContactSerializer(many=True, read_only=True)
    agreements = serializers.SerializerMethodField(
        help_text="Dates, scope, cost and university credit; null for those who may not see "
        "agreements."
    )
    offering_count = serializers.IntegerField(
        read_only=True, help_text="Offerings it provides that you can see."
    )

    class Meta:
        model = Partner
        fields = [
            "id",
            "name",
            "kind",
            "website",
            "description",
            "is_active",
            "contacts",
            "agreements",
            "offering_count",
        ]
        validators: list = []  # the service refuses a duplicate name, with its code

    @extend_schema_field(PartnerAgreementSerializer(many=True, allow_null=True))
    def get_agreements(self, obj: Partner):
        view = self.context.get("view")
        if view is None or not view.shows_agreements:
            return None
        return PartnerAgreementSerializer(obj.agreements.all(), many=True).data


PARTNER_ORDER = {"name": ["name", "id"], "-name": ["-name", "-id"]}


class PartnerQuery(serializers.Serializer):
    q = _search("In the name or description.")
    kind = serializers.ChoiceField(choices=Partner.Kind.choices, required=False)
    active = serializers.BooleanField(required=False, allow_null=True, default=None)
    ordering = _ordering(PARTNER_ORDER, "name")


@documented(PartnerSerializer, PartnerQuery, "partners")
class PartnerViewSet(DistrictResourceViewSet):
    """Universities, education organisations, community groups, vendors and district
    departments that provide offerings. Everyone reads them; administrators write them."""

    model = Partner
    serializer_class = PartnerSerializer
    query_class = PartnerQuery
    order = PARTNER_ORDER

    def _shaped(self, qs: QuerySet) -> QuerySet:
        qs = qs.prefetch_related("contacts")
        if self.shows_agreements:
            agreements = access.visible(self.actor, PartnerAgreement)
            qs = qs.prefetch_related(Prefetch("agreements", agreements))
        return qs

    @property
    def shows_agreements(self) -> bool:
        return self.actor is not None and access.can(self.actor, "list", PartnerAgreement)

    def everything(self) -> QuerySet:
        return self._shaped(selectors.partner_list(self.actor))

    def listed(self, params: dict[str, Any]) -> QuerySet:
        return self._shaped(
            selectors.partner_list(
                self.actor,
                q=params["q"].strip(),
                kind=params.get("kind", ""),
                active=params.get("active"),
            )
        )

    def create_with(self, data: dict[str, Any]) -> Model:
        return services.partner_create(district=self.actor.district, actor=self.actor, data=data)

    def update_with(self, obj: Model, data: dict[str, Any]) -> Model:
        return services.partner_update(partner=obj, actor=self.actor, data=data)


# --- offerings -------------------------------------------------------------------------------


class OfferingSerializer(serializers.ModelSerializer):
    school = _link(School, required=False, allow_null=True, help_text="The owner, if a school.")
    program = _link(Program, required=False, allow_null=True, help_text="The owner, if a program.")
    owner = _label(help_text="The school or program that runs it, or the district.")
    provider = _label(help_text="The partner, or the district.")
    partner = _link(Partner, required=False, allow_null=True, help_text="Blank: the district.")
    focus_areas = _links(FocusArea)
    roles = serializers.ListField(
        child=serializers.ChoiceField(choices=Role.choices), required=False, max_length=20
    )
    subjects = serializers.ListField(
        child=serializers.CharField(max_length=100), required=False, max_length=50
    )
    grade_bands = serializers.ListField(
        child=serializers.CharField(max_length=50), required=False, max_length=20
    )
    schools = _links(School, help_text="Audience schools; none: every school.")
    programs = _links(Program, help_text="Audience programs.")
    goals = _links(Goal, help_text="Published strategic goals of the district or the owner.")
    facilitators = _links(Staff)
    source = _link(
        FundingSource,
        required=False,
        allow_null=True,
        help_text="Pays the fee (must allow registration fees); blank: the participant.",
    )
    cost = serializers.DecimalField(**MONEY, min_value=Decimal(0), required=False)
    substitute_days = serializers.DecimalField(
        max_digits=10, decimal_places=2, min_value=Decimal(0), required=False
    )
    credits = serializers.DecimalField(
        max_digits=5, decimal_places=2, min_value=Decimal(0), required=False
    )
    credit_kind = serializers.ChoiceField(
        choices=CreditKind.choices, required=False, allow_blank=True
    )
    category = serializers.ChoiceField(choices=Category.choices, required=False)
    completion_rules = serializers.ListField(
        child=serializers.CharField(max_length=50),
        required=False,
        max_length=20,
        help_text="Names of completion rules besides attendance.",
    )
    university_hours = serializers.SerializerMethodField(
        help_text="The university credit as clock hours, by the district's conversion."
    )
    upcoming_count = serializers.IntegerField(read_only=True)
    next_start = serializers.DateTimeField(read_only=True, allow_null=True)

    class Meta:
        model = Offering
        fields = [
            "id",
            "title",
            "description",
            "status",
            "school",
            "program",
            "owner",
            "format",
            "structure",
            "focus_areas",
            "roles",
            "subjects",
            "grade_bands",
            "schools",
            "programs",
            "goals",
            "partner",
            "provider",
            "facilitators",
            "cost",
            "source",
            "substitute_days",
            "approval",
            "capacity",
            "category",
            "credit_kind",
            "credits",
            "university_hours",
            "min_attendance_percent",
            "completion_rules",
            "upcoming_count",
            "next_start",
        ]
        read_only_fields = ["status"]

    @extend_schema_field(serializers.DecimalField(max_digits=8, decimal_places=2))
    def get_university_hours(self, obj: Offering) -> str:
        return str(credit.credit_hours(obj.district, obj.credit_kind, obj.credits))


class OfferingChangeSerializer(OfferingSerializer):
    """What PATCH accepts: the owner stays."""

    school = serializers.PrimaryKeyRelatedField(read_only=True)
    program = serializers.PrimaryKeyRelatedField(read_only=True)


OFFERING_ORDER = {"title": ["title", "id"], "-created_at": ["-created_at", "-id"]}


class OfferingQuery(serializers.Serializer):
    q = _search("In the title or description.")
    format = serializers.ChoiceField(choices=Offering.Format.choices, required=False)
    focus = _id(help_text="A focus area.")
    role = serializers.ChoiceField(choices=Role.choices, required=False)
    subject = serializers.CharField(required=False, max_length=100)
    grade_band = serializers.CharField(required=False, max_length=50)
    school = _id(help_text="For this school's staff (or for everyone).")
    date_from = serializers.DateField(required=False, help_text="With a session on or after.")
    date_to = serializers.DateField(required=False, help_text="With a session on or before.")
    credit = serializers.ChoiceField(choices=selectors.CREDIT_CHOICES, required=False)
    provider = serializers.RegexField(r"^(district|[1-9][0-9]{0,17})$", required=False,
                                      help_text=PROVIDER_HELP)  # fmt: skip
    status = serializers.ChoiceField(choices=Offering.Status.choices, required=False)
    ordering = _ordering(OFFERING_ORDER, "title")

    def to_internal_value(self, data):
        data = dict(data)
        for outside, inside in (("from", "date_from"), ("to", "date_to")):
            if outside in data:
                data[inside] = data.pop(outside)
        return super().to_internal_value(data)


class FormatIsAFilter(DefaultContentNegotiation):
    """`?format=` filters offerings by their format here; it does not pick the renderer."""

    settings = SimpleNamespace(URL_FORMAT_OVERRIDE=None)


@documented(OfferingSerializer, OfferingQuery, "offerings")
class OfferingViewSet(DistrictResourceViewSet):
    """What is taught: format, structure, focus, audience, goals served, provider, cost and who
    pays, approval, capacity and credit. Draft → published ↔ archived."""

    model = Offering
    content_negotiation_class = FormatIsAFilter
    serializer_class = OfferingSerializer
    change_serializer_class = OfferingChangeSerializer
    query_class = OfferingQuery
    order = OFFERING_ORDER
    object_actions = {
        **DistrictResourceViewSet.object_actions,
        "publish": "change",
        "archive": "change",
    }

    def _shaped(self, qs: QuerySet) -> QuerySet:
        return selectors.with_upcoming(
            qs.select_related("district").prefetch_related(
                Prefetch("schools", School.objects.only("pk")),
                Prefetch("programs", Program.objects.only("pk")),
                Prefetch("goals", Goal.objects.only("pk")),
                Prefetch("facilitators", Staff.objects.only("pk")),
            )
        )

    def everything(self) -> QuerySet:
        return self._shaped(selectors.offering_queryset(self.actor))

    def listed(self, params: dict[str, Any]) -> QuerySet:
        filters = selectors.CatalogFilters(
            q=params["q"].strip(),
            format=params.get("format", ""),
            focus=params.get("focus"),
            role=params.get("role", ""),
            subject=(params.get("subject") or "").strip(),
            grade_band=(params.get("grade_band") or "").strip(),
            school=params.get("school"),
            date_from=params.get("date_from"),
            date_to=params.get("date_to"),
            credit=params.get("credit", ""),
            provider=params.get("provider", ""),
        )
        qs = selectors.filter_offerings(
            self.actor, selectors.offering_queryset(self.actor), filters
        )
        if params.get("status"):
            qs = qs.filter(status=params["status"])
        return self._shaped(qs)

    def create_with(self, data: dict[str, Any]) -> Model:
        return services.offering_create(district=self.actor.district, actor=self.actor, data=data)

    def update_with(self, obj: Model, data: dict[str, Any]) -> Model:
        return services.offering_update(offering=obj, actor=self.actor, data=data)

    @extend_schema(
        request=None,
        responses={200: OfferingSerializer, **REFUSALS},
        summary="Publish: into everyone's catalogue",
    )
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        return self.respond(services.offering_publish(offering=self.get_object(), actor=self.actor))

    @extend_schema(
        request=None,
        responses={200: OfferingSerializer, **REFUSALS},
        summary="Archive: out of the catalogue; sessions and credit stay",
    )
    @action(detail=True, methods=["post"])
    def archive(self, request, pk=None):
        return self.respond(services.offering_archive(offering=self.get_object(), actor=self.actor))


# --- sessions and meetings -------------------------------------------------------------------


class MeetingSerializer(serializers.ModelSerializer):
    session = _link(Session)
    is_module = serializers.BooleanField(read_only=True)
    minutes = serializers.IntegerField(
        required=False,
        min_value=0,
        max_value=100_000,
        help_text="Given for a module; computed for a meeting (duration less breaks).",
    )
    break_minutes = serializers.IntegerField(required=False, min_value=0, max_value=100_000)

    class Meta:
        model = Meeting
        fields = [
            "id",
            "session",
            "title",
            "starts_at",
            "ends_at",
            "break_minutes",
            "minutes",
            "location",
            "join_url",
            "is_module",
        ]


class MeetingChangeSerializer(MeetingSerializer):
    session = serializers.PrimaryKeyRelatedField(read_only=True)


class SessionSerializer(serializers.ModelSerializer):
    offering = _link(Offering)
    offering_title = _label(source="offering.title")
    school_year = _link(
        SchoolYear,
        required=False,
        allow_null=True,
        help_text="Blank: the current year; the first dated meeting's year decides.",
    )
    capacity = serializers.IntegerField(
        required=False, min_value=1, max_value=100_000, help_text="Blank: the offering's."
    )
    facilitators = _links(Staff)
    seats_taken = serializers.IntegerField(read_only=True)
    clock_hours = serializers.SerializerMethodField(
        help_text="Clock hours for full attendance, by the district's rules."
    )
    meetings = MeetingSerializer(many=True, read_only=True)

    class Meta:
        model = Session
        fields = [
            "id",
            "offering",
            "offering_title",
            "school_year",
            "name",
            "location",
            "capacity",
            "seats_taken",
            "registration_opens",
            "registration_closes",
            "cancel_by",
            "facilitators",
            "status",
            "starts_at",
            "ends_at",
            "minutes",
            "clock_hours",
            "meetings",
        ]
        read_only_fields = ["status", "starts_at", "ends_at", "minutes"]

    @extend_schema_field(serializers.DecimalField(max_digits=8, decimal_places=2))
    def get_clock_hours(self, obj: Session) -> str:
        return str(credit.clock_hours(obj.district, obj.minutes, offering_minutes=obj.minutes))


class SessionChangeSerializer(SessionSerializer):
    offering = serializers.PrimaryKeyRelatedField(read_only=True)


class SessionCancelSerializer(serializers.Serializer):
    reason = serializers.CharField(
        max_length=2000, required=False, allow_blank=True, help_text="Registrants see it."
    )


SESSION_ORDER = {"starts_at": ["starts_at", "id"], "-starts_at": ["-starts_at", "-id"]}


class SessionQuery(serializers.Serializer):
    offering = _id()
    date_from = serializers.DateField(required=False, help_text="Not ended before this day.")
    date_to = serializers.DateField(required=False, help_text="Starting on or before this day.")
    status = serializers.ChoiceField(choices=Session.Status.choices, required=False)
    ordering = _ordering(SESSION_ORDER, "starts_at")

    def to_internal_value(self, data):
        data = dict(data)
        for outside, inside in (("from", "date_from"), ("to", "date_to")):
            if outside in data:
                data[inside] = data.pop(outside)
        return super().to_internal_value(data)


@documented(SessionSerializer, SessionQuery, "sessions")
class SessionViewSet(DistrictResourceViewSet):
    """Runs of an offering, each with its meetings (read here; written through `meetings`),
    facilitators, capacity and registration window."""

    model = Session
    serializer_class = SessionSerializer
    change_serializer_class = SessionChangeSerializer
    query_class = SessionQuery
    order = SESSION_ORDER
    object_actions = {**DistrictResourceViewSet.object_actions, "cancel": "change"}

    def _shaped(self, qs: QuerySet) -> QuerySet:
        return qs.select_related("district")

    def everything(self) -> QuerySet:
        return self._shaped(selectors.session_list(self.actor))

    def listed(self, params: dict[str, Any]) -> QuerySet:
        return self._shaped(
            selectors.session_list(
                self.actor,
                offering=params.get("offering"),
                date_from=params.get("date_from"),
                date_to=params.get("date_to"),
                status=params.get("status", ""),
            )
        )

    def create_with(self, data: dict[str, Any]) -> Model:
        return services.session_create(offering=data["offering"], actor=self.actor, data=data)

    def update_with(self, obj: Model, data: dict[str, Any]) -> Model:
        return services.session_update(session=obj, actor=self.actor, data=data)

    @extend_schema(
        request=SessionCancelSerializer,
        responses={200: SessionSerializer, **REFUSALS},
        summary="Cancel a scheduled session",
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        session = self.get_object()
        reason = self.body(SessionCancelSerializer).get("reason", "")
        return self.respond(
            services.session_cancel(session=session, actor=self.actor, reason=reason)
        )


class MeetingQuery(serializers.Serializer):
    session = _id()
    ordering = _ordering({"starts_at": ["starts_at", "id"]}, "starts_at")


@documented(MeetingSerializer, MeetingQuery, "meetings")
class MeetingViewSet(DistrictResourceViewSet):
    """The meetings of sessions (start and end, a room or a join link) and the modules of
    self-paced ones (a title and minutes). Managers of the offering write them."""

    model = Meeting
    serializer_class = MeetingSerializer
    change_serializer_class = MeetingChangeSerializer
    query_class = MeetingQuery
    order = {"starts_at": ["starts_at", "id"]}
    list_right = None
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    object_actions = {**DistrictResourceViewSet.object_actions, "destroy": "change"}

    def everything(self) -> QuerySet:
        return access.visible(self.actor, Meeting).select_related("session__offering")

    def listed(self, params: dict[str, Any]) -> QuerySet:
        qs = self.everything()
        if params.get("session"):
            qs = qs.filter(session_id=params["session"])
        return qs

    def create(self, request, *args, **kwargs):
        # Only leaders manage offerings; the service asks whether this one is theirs.
        access.require(self.actor, "create", Session)
        return super(DistrictResourceViewSet, self).create(request, *args, **kwargs)

    def create_with(self, data: dict[str, Any]) -> Model:
        return services.meeting_create(session=data["session"], actor=self.actor, data=data)

    def update_with(self, obj: Model, data: dict[str, Any]) -> Model:
        return services.meeting_update(meeting=obj, actor=self.actor, data=data)

    @extend_schema(responses={204: None, **REFUSALS})
    def destroy(self, request, *args, **kwargs):
        meeting = self.get_object()
        services.meeting_delete(meeting=meeting, actor=self.actor)
        return Response(status=status.HTTP_204_NO_CONTENT)

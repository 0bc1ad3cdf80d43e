"""The transcript and external-hours API: a thin layer over the same selectors, access rules
and services as the pages.

- `transcripts/` is the caller's own transcript; `transcripts/<staff id>/` a staff member's,
  for those who see that person (their school's leaders, their program's director,
  administrators); anyone else gets 404. `?year=` narrows the lines and totals to one school
  year; renewal progress always counts the district's whole renewal window.
- `external-hours/` lists the entries the caller sees (their own, their staff's); anyone
  writes their own, with a JSON body or a multipart one carrying the evidence file. A returned
  or withdrawn entry is corrected with PATCH and sent again with `submit`; the author may
  `withdraw` a submitted one; the supervisor will `approve` it or `return` it with a comment.
  A step the entry's state does not allow answers 409 {"code", "detail"}.
"""

from decimal import Decimal
from typing import Any

from django.db.models import Model, QuerySet
from django.http import Http404
from django.urls import reverse
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from cadre.catalog.models import Category, ExternalHours
from cadre.catalog.selectors import transcript as selectors
from cadre.catalog.services import transcript as services
from cadre.core.api import (
    REFUSALS,
    DistrictResourceViewSet,
    ScopedViewSetMixin,
    documented,
)
from cadre.core.openapi import OneObjectSchema
from cadre.districts import access
from cadre.districts.models import SchoolYear
from cadre.districts.serializers import MAX_ID, _id, _ordering
from cadre.growth.serializers import DECIDED, SUPERVISED, _Supervised
from cadre.planning.serializers import CommentSerializer

HOURS = {"max_digits": 8, "decimal_places": 2}

# --- the transcript --------------------------------------------------------------------------


class TranscriptLineSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=list(selectors.Kind.LABELS.items()),
        help_text="catalogue: a completion; external: approved external hours; growth_plan: "
        "the yearly professional growth plan; group: a group meeting attended, when the "
        "district credits group time.",
    )
    date = serializers.DateField(source="on")
    school_year = serializers.IntegerField(source="school_year.pk")
    school_year_name = serializers.CharField(source="school_year.name")
    title = serializers.CharField()
    provider = serializers.CharField()
    category = serializers.ChoiceField(choices=Category.choices)
    clock_hours = serializers.DecimalField(**HOURS)
    credit_kind = serializers.CharField(help_text="quarter, semester, or blank.")
    credits = serializers.DecimalField(max_digits=5, decimal_places=2)
    credit_hours = serializers.DecimalField(
        **HOURS, help_text="The university credit as clock hours, by the district's rules."
    )
    hours = serializers.DecimalField(
        **HOURS, help_text="What the line counts for: clock hours or credit hours, the more."
    )
    verification_code = serializers.CharField(source="code", help_text="Catalogue lines only.")


class TranscriptTotalsSerializer(serializers.Serializer):
    general = serializers.SerializerMethodField()
    equity = serializers.SerializerMethodField()
    stem = serializers.SerializerMethodField()
    total = serializers.DecimalField(**HOURS)
    quarter_credits = serializers.SerializerMethodField()
    semester_credits = serializers.SerializerMethodField()

    @extend_schema_field(serializers.DecimalField(**HOURS))
    def get_general(self, obj) -> str:
        return _dec(obj.hours[Category.GENERAL])

    @extend_schema_field(serializers.DecimalField(**HOURS))
    def get_equity(self, obj) -> str:
        return _dec(obj.hours[Category.EQUITY])

    @extend_schema_field(serializers.DecimalField(**HOURS))
    def get_stem(self, obj) -> str:
        return _dec(obj.hours[Category.STEM])

    @extend_schema_field(serializers.DecimalField(**HOURS))
    def get_quarter_credits(self, obj) -> str:
        return _dec(obj.credits.get("quarter", Decimal(0)))

    @extend_schema_field(serializers.DecimalField(**HOURS))
    def get_semester_credits(self, obj) -> str:
        return _dec(obj.credits.get("semester", Decimal(0)))


def _dec(value: Decimal) -> str:
    return str(value.quantize(Decimal("0.01")))


class TranscriptYearSerializer(serializers.Serializer):
    school_year = serializers.IntegerField(source="year.pk")
    school_year_name = serializers.CharField(source="year.name")
    totals = TranscriptTotalsSerializer()


class RenewalProgressSerializer(serializers.Serializer):
    since = serializers.DateField(help_text="The first day counted (inclusive).")
    until = serializers.DateField(help_text="Today (inclusive).")
    years = serializers.IntegerField()
    required = serializers.DecimalField(**HOURS)
    earned = serializers.DecimalField(**HOURS)
    remaining = serializers.DecimalField(**HOURS)
    percent = serializers.IntegerField()
    equity_required = serializers.DecimalField(**HOURS)
    equity_earned = serializers.DecimalField(**HOURS)
    equity_remaining = serializers.DecimalField(**HOURS)
    equity_percent = serializers.IntegerField()
    is_administrator = serializers.BooleanField(
        help_text="Administrators need the district's equity figure for administrators."
    )
    is_met = serializers.BooleanField()


class TranscriptSerializer(serializers.Serializer):
    staff = serializers.IntegerField(source="staff.pk")
    staff_name = serializers.CharField(source="staff.full_name")
    district = serializers.CharField(source="district.name")
    school_year = serializers.IntegerField(
        source="year.pk", allow_null=True, help_text="Null: all years."
    )
    period = serializers.CharField()
    generated_on = serializers.DateField()
    lines = TranscriptLineSerializer(many=True)
    years = TranscriptYearSerializer(source="blocks", many=True, help_text="Newest first.")
    totals = TranscriptTotalsSerializer()
    renewal = RenewalProgressSerializer()


class TranscriptQuery(serializers.Serializer):
    year = _id(help_text="A school year's id; all years when left out.")


@extend_schema(parameters=[TranscriptQuery], responses={200: TranscriptSerializer, **REFUSALS})
class TranscriptViewSet(ScopedViewSetMixin, viewsets.ViewSet):
    """Transcripts: clock hours by category per school year and across years, and progress
    toward certificate renewal by the district's rules."""

    lookup_value_regex = "[0-9]+"
    schema = OneObjectSchema()  # `transcripts/` is the caller's own transcript, not a list

    def _answer(self, request, pk: int | None):
        query = TranscriptQuery(data=request.query_params.dict())
        query.is_valid(raise_exception=True)
        wanted = query.validated_data.get("year")
        staff = selectors.transcript_staff(self.actor, pk)
        year = access.get_visible_or_404(self.actor, SchoolYear, pk=wanted) if wanted else None
        data = selectors.transcript(self.actor, staff, year)
        return Response(TranscriptSerializer(data).data)

    # One object, but the id it always had.
    @extend_schema(summary="Your own transcript", operation_id="transcripts_list")
    def list(self, request):
        return self._answer(request, None)

    @extend_schema(summary="A staff member's transcript (404 unless you see them)")
    def retrieve(self, request, pk=None):
        staff_id = int(pk)
        if staff_id > MAX_ID:  # no such row, never a database error
            raise Http404
        return self._answer(request, staff_id)


# --- external hours --------------------------------------------------------------------------


class ExternalHoursSerializer(_Supervised):
    hours = serializers.DecimalField(max_digits=6, decimal_places=2, min_value=Decimal("0.01"))
    category = serializers.ChoiceField(
        choices=Category.choices, required=False, default=Category.GENERAL
    )
    file = serializers.FileField(
        write_only=True,
        required=False,
        help_text="Optional evidence: a PDF, PNG or JPEG, at most 10 MB (multipart bodies).",
    )
    file_url = serializers.SerializerMethodField(
        help_text="Where the evidence file downloads, for those who see the entry."
    )

    class Meta:
        model = ExternalHours
        fields = [
            "id",
            *SUPERVISED,
            "title",
            "provider",
            "completed_on",
            "hours",
            "category",
            "evidence",
            "file",
            "file_url",
            "file_type",
            "status",
            *DECIDED,
            "comment",
        ]
        # The author is the caller, the supervisor follows their assignment, the year follows
        # the date; the workflow sets the rest.
        read_only_fields = [
            "staff",
            "school",
            "program",
            "school_year",
            "file_type",
            "status",
            "submitted_at",
            "decided_at",
            "comment",
        ]

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_file_url(self, obj: ExternalHours) -> str | None:
        return reverse("external-hours-file", args=[obj.pk]) if obj.file else None


class ExternalHoursChangeSerializer(ExternalHoursSerializer):
    """PATCH changes only what it names; `remove_file` drops the evidence file."""

    category = serializers.ChoiceField(choices=Category.choices, required=False)
    remove_file = serializers.BooleanField(write_only=True, required=False, default=False)

    class Meta(ExternalHoursSerializer.Meta):
        fields = [*ExternalHoursSerializer.Meta.fields, "remove_file"]


EXTERNAL_ORDER = {
    "-completed_on": ["-completed_on", "-id"],
    "completed_on": ["completed_on", "id"],
    "-submitted_at": ["-submitted_at", "-id"],
    "staff": ["staff__last_name", "staff__first_name", "-completed_on", "id"],
}


class ExternalHoursQuery(serializers.Serializer):
    status = serializers.ChoiceField(choices=ExternalHours.Status.choices, required=False)
    staff = _id()
    school_year = _id()
    to_decide = serializers.BooleanField(
        required=False, default=False, help_text="Only submitted entries you decide."
    )
    ordering = _ordering(EXTERNAL_ORDER, "-completed_on")


@documented(ExternalHoursSerializer, ExternalHoursQuery, "external hours")
class ExternalHoursViewSet(DistrictResourceViewSet):
    """Learning outside the catalogue, entered with evidence and approved by the supervisor
    before it counts: submitted → approved, or returned with a comment → corrected (PATCH) and
    submitted again; the author may withdraw a submitted entry."""

    model = ExternalHours
    serializer_class = ExternalHoursSerializer
    change_serializer_class = ExternalHoursChangeSerializer
    query_class = ExternalHoursQuery
    order = EXTERNAL_ORDER
    object_actions = {
        **DistrictResourceViewSet.object_actions,
        "submit": "submit",
        "withdraw": "withdraw",
        "approve": "approve",
        "return_": "return",
    }

    def everything(self) -> QuerySet:
        return (
            access.visible(self.actor, ExternalHours)
            .select_related(*selectors.RELATED, "decided_by")
            .prefetch_related("decided_by__staff_records")
        )

    def listed(self, params: dict[str, Any]) -> QuerySet:
        qs = self.everything()
        if params.get("to_decide"):
            qs = (
                selectors.external_hours_queue(self.actor)
                .select_related("decided_by")
                .prefetch_related("decided_by__staff_records")
            )
        if params.get("status"):
            qs = qs.filter(status=params["status"])
        for name in ("staff", "school_year"):
            if params.get(name):
                qs = qs.filter(**{f"{name}_id": params[name]})
        return qs

    def create_with(self, data: dict[str, Any]) -> Model:
        return services.external_hours_create(
            staff=self.actor.staff, actor=self.request.user, data=data, upload=data.get("file")
        )

    def update_with(self, obj: Model, data: dict[str, Any]) -> Model:
        return services.external_hours_update(
            entry=obj,
            actor=self.request.user,
            data=data,
            upload=data.get("file"),
            remove_file=bool(data.get("remove_file")),
        )

    def _step(self, service, **kwargs) -> Response:
        entry = self.get_object()
        return self.respond(service(entry=entry, actor=self.request.user, **kwargs))

    @extend_schema(
        request=None,
        responses={200: ExternalHoursSerializer, **REFUSALS},
        summary="Submit a returned or withdrawn entry again",
    )
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return self._step(services.external_hours_submit)

    @extend_schema(
        request=None,
        responses={200: ExternalHoursSerializer, **REFUSALS},
        summary="Withdraw a submitted entry",
    )
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        return self._step(services.external_hours_withdraw)

    @extend_schema(
        request=None,
        responses={200: ExternalHoursSerializer, **REFUSALS},
        summary="Approve a submitted entry: its hours count on the transcript",
    )
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self._step(services.external_hours_approve)

    @extend_schema(
        request=CommentSerializer,
        responses={200: ExternalHoursSerializer, **REFUSALS},
        summary="Return a submitted entry, saying what to correct",
    )
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_(self, request, pk=None):
        entry = self.get_object()
        comment = self.body(CommentSerializer)["comment"]
        return self.respond(
            services.external_hours_return(entry=entry, actor=request.user, comment=comment)
        )

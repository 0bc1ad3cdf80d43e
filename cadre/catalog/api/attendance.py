"""The attendance API: `attendance` (read; mark from the roster; self check-in) and
`completions` (read only: the credit awarded, with its verification code).

- Lists start from `access.visible`: a participant sees their own rows; a session's
  facilitators and the offering's managers see their sessions'; leaders their staff's.
- Marking asks `attend` on the meeting named in the body (its facilitators and managers): 403
  for anyone else; the meeting and registration are looked up among visible rows (400 if not).
- A refused step answers {"code", "detail"}: 400 for bad input, 409 when the record's state
  does not allow it.
"""

from typing import Any

from django.db.models import Model, QuerySet
from django.urls import reverse
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.decorators import action

from cadre.catalog.certificate import verification_url
from cadre.catalog.models import Attendance, Completion, Meeting, Registration
from cadre.catalog.selectors import attendance as selectors
from cadre.catalog.services import attendance as services
from cadre.core.api import REFUSALS, DistrictResourceViewSet, ScopedModelViewSet, documented
from cadre.districts import access
from cadre.districts.serializers import _id, _ordering
from cadre.planning.serializers import _label, _link, _name

# --- serializers -----------------------------------------------------------------------------

ATTENDANCE_ORDER = {
    "meeting": ["meeting__starts_at", "meeting_id", "registration_id"],
    "-recorded_at": ["-recorded_at", "-id"],
}
COMPLETION_ORDER = {
    "-completed_on": ["-completed_on", "-id"],
    "completed_on": ["completed_on", "id"],
    "staff": ["staff__last_name", "staff__first_name", "-completed_on", "id"],
}


class AttendanceSerializer(serializers.ModelSerializer):
    meeting = _link(Meeting, help_text="A meeting of a session you take attendance for.")
    session = serializers.IntegerField(source="meeting.session_id", read_only=True)
    registration = _link(Registration, help_text="A registration in the meeting's session.")
    staff = serializers.IntegerField(source="registration.staff_id", read_only=True)
    staff_name = _label(source="registration.staff.full_name")
    present = serializers.BooleanField(default=True)
    minutes = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=0,
        max_value=100_000,
        help_text="Credited minutes attended. Omit for the whole meeting; 0 when absent.",
    )
    recorded_by_name = serializers.SerializerMethodField()

    class Meta:
        model = Attendance
        fields = [
            "id",
            "meeting",
            "session",
            "registration",
            "staff",
            "staff_name",
            "present",
            "minutes",
            "method",
            "evidence",
            "recorded_at",
            "recorded_by_name",
        ]
        read_only_fields = ["method", "evidence", "recorded_at"]
        # Marking again changes the mark (the service keeps one row per meeting and person).
        validators: list = []

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_recorded_by_name(self, obj: Attendance) -> str | None:
        return _name(obj.recorded_by)


class AttendanceQuery(serializers.Serializer):
    meeting = _id()
    session = _id()
    registration = _id()
    ordering = _ordering(ATTENDANCE_ORDER, "meeting")


class CheckinSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=20, help_text="The code shown in the room.")


class CompletionSerializer(serializers.ModelSerializer):
    staff_name = _label(source="staff.full_name")
    offering_title = _label(source="offering.title")
    school_year_name = _label(source="school_year.name")
    awarded_by_name = serializers.SerializerMethodField()
    certificate_url = serializers.SerializerMethodField(help_text="The PDF certificate.")
    verification_url = serializers.SerializerMethodField(
        help_text="The public page that confirms the certificate."
    )

    class Meta:
        model = Completion
        fields = [
            "id",
            "registration",
            "staff",
            "staff_name",
            "offering",
            "offering_title",
            "school_year",
            "school_year_name",
            "completed_on",
            "minutes",
            "clock_hours",
            "category",
            "credit_kind",
            "credits",
            "code",
            "awarded_at",
            "awarded_by_name",
            "certificate_url",
            "verification_url",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_awarded_by_name(self, obj: Completion) -> str | None:
        return _name(obj.awarded_by)

    def get_certificate_url(self, obj: Completion) -> str:
        return reverse("certificate", args=[obj.registration_id])

    def get_verification_url(self, obj: Completion) -> str:
        return verification_url(obj.code)


class CompletionQuery(serializers.Serializer):
    staff = _id()
    offering = _id()
    school_year = _id()
    ordering = _ordering(COMPLETION_ORDER, "-completed_on")


# --- viewsets --------------------------------------------------------------------------------


@documented(AttendanceSerializer, AttendanceQuery, "attendance")
class AttendanceViewSet(DistrictResourceViewSet):
    """Attendance per meeting, in credited minutes. POST marks a participant present (the whole
    meeting, or `minutes`) or absent, as the facilitator's roster does; checkin/ checks the
    caller in with the code shown in the room, during the meeting."""

    model = Attendance
    serializer_class = AttendanceSerializer
    query_class = AttendanceQuery
    order = ATTENDANCE_ORDER
    http_method_names = ["get", "post", "head", "options"]

    def everything(self) -> QuerySet:
        return self.listed({})

    def listed(self, params: dict[str, Any]) -> QuerySet:
        return selectors.attendance_list(
            self.actor,
            meeting=params.get("meeting"),
            session=params.get("session"),
            registration=params.get("registration"),
        )

    def create(self, request, *args, **kwargs):
        # Who may mark depends on the meeting the body names: asked in create_with.
        return ScopedModelViewSet.create(self, request, *args, **kwargs)

    def create_with(self, data: dict[str, Any]) -> Model:
        meeting = data["meeting"]
        access.require(self.actor, "attend", meeting)
        return services.attendance_mark(
            meeting=meeting,
            registration=data["registration"],
            present=data["present"],
            actor=self.request.user,
            minutes=data.get("minutes"),
        )

    @extend_schema(
        request=CheckinSerializer,
        responses={201: AttendanceSerializer, 200: AttendanceSerializer, **REFUSALS},
        summary="Check yourself in with the meeting's code (201; 200 when already recorded)",
    )
    @action(detail=False, methods=["post"])
    def checkin(self, request):
        data = self.body(CheckinSerializer)
        attendance, created = services.checkin(
            code=data["code"], staff=self.actor.staff, actor=request.user
        )
        return self.respond(attendance, status.HTTP_201_CREATED if created else status.HTTP_200_OK)


@documented(CompletionSerializer, CompletionQuery, "completions")
class CompletionViewSet(DistrictResourceViewSet):
    """Credit awarded: one per completed registration, with its clock hours, category,
    university credit and the code that verifies its certificate. Read only: completions are
    awarded by the completion rules when a session closes or the last module is attested."""

    model = Completion
    serializer_class = CompletionSerializer
    query_class = CompletionQuery
    order = COMPLETION_ORDER
    http_method_names = ["get", "head", "options"]

    def everything(self) -> QuerySet:
        return self.listed({})

    def listed(self, params: dict[str, Any]) -> QuerySet:
        return selectors.completion_list(
            self.actor,
            staff=params.get("staff"),
            offering=params.get("offering"),
            school_year=params.get("school_year"),
        )

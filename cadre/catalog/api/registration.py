"""The registration API: `registrations` (register yourself, approve, deny, cancel) and
`session-assignments` (whole-group assignment), thin over the same rules and services as the
pages.

- Lists start from `access.visible`: the registrant sees their own, leaders their school's or
  program's staff's, the offering's managers and the session's facilitators its registrations.
- A visible row the caller may not act on answers 403, before the body is read.
- A step the record's state does not allow answers 409 `{code, detail}`; bad input 400.
"""

from typing import Any

from django.db.models import Model, QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers
from rest_framework.decorators import action

from cadre.catalog.models import Registration, Session, SessionAssignment
from cadre.catalog.selectors import registration as selectors
from cadre.catalog.services import registration as services
from cadre.core.api import REFUSALS, DistrictResourceViewSet, ScopedModelViewSet
from cadre.districts import access
from cadre.districts.models import Program, Role, School
from cadre.districts.serializers import _id, _labels, _ordering
from cadre.planning.serializers import _label, _link, _name

# --- serializers ---------------------------------------------------------------------------


class RegistrationSerializer(serializers.ModelSerializer):
    session = _link(Session, help_text="The session to register for (yourself).")
    session_name = _label(source="session.__str__")
    offering = serializers.IntegerField(source="session.offering_id", read_only=True)
    # Null while the session has no meetings yet.
    starts_at = serializers.DateTimeField(
        source="session.starts_at", read_only=True, allow_null=True
    )
    ends_at = serializers.DateTimeField(source="session.ends_at", read_only=True, allow_null=True)
    staff_name = _label(source="staff.full_name")
    school_name = _label(source="school.name", allow_null=True)
    program_name = _label(source="program.name", allow_null=True)
    assigned_by_name = serializers.SerializerMethodField()
    decided_by_name = serializers.SerializerMethodField()

    class Meta:
        model = Registration
        fields = [
            "id",
            "session",
            "session_name",
            "offering",
            "starts_at",
            "ends_at",
            "staff",
            "staff_name",
            "school",
            "school_name",
            "program",
            "program_name",
            "status",
            "position",
            "assigned",
            "assigned_by_name",
            "decided_at",
            "decided_by_name",
            "reason",
            "cancelled_at",
            "created_at",
        ]
        read_only_fields = [f for f in fields if f != "session"]

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_assigned_by_name(self, obj) -> str | None:
        return _name(obj.assigned_by)

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_decided_by_name(self, obj) -> str | None:
        return _name(obj.decided_by)


class DenyReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000, help_text="Why; the registrant sees it.")


class CancelReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


REGISTRATION_ORDER = {
    "created_at": ["created_at", "id"],
    "-created_at": ["-created_at", "-id"],
    "starts_at": ["session__starts_at", "id"],
    "position": ["session_id", "position", "created_at", "id"],
}


class RegistrationQuery(serializers.Serializer):
    session = _id()
    status = serializers.ChoiceField(choices=Registration.Status.choices, required=False)
    staff = _id()
    ordering = _ordering(REGISTRATION_ORDER, "-created_at")


class SessionAssignmentSerializer(serializers.ModelSerializer):
    session = _link(Session)
    session_name = _label(source="session.__str__")
    school = _link(School, required=False, allow_null=True)
    school_name = _label(source="school.name", allow_null=True)
    program = _link(Program, required=False, allow_null=True)
    program_name = _label(source="program.name", allow_null=True)
    roles = serializers.ListField(
        child=serializers.ChoiceField(choices=Role.choices),
        required=False,
        max_length=20,
        help_text="Only these roles; empty: every role.",
    )
    subjects = _labels(help_text="Only staff teaching any of these; empty: every subject.")
    grade_bands = _labels(help_text="Only staff in any of these grade bands; empty: all.")
    assigned_by_name = serializers.SerializerMethodField()

    class Meta:
        model = SessionAssignment
        fields = [
            "id",
            "session",
            "session_name",
            "school",
            "school_name",
            "program",
            "program_name",
            "roles",
            "subjects",
            "grade_bands",
            "assigned_count",
            "assigned_by_name",
            "created_at",
        ]
        read_only_fields = ["assigned_count", "created_at"]

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_assigned_by_name(self, obj) -> str | None:
        return _name(obj.assigned_by)


ASSIGNMENT_ORDER = {"-created_at": ["-created_at", "-id"]}


class SessionAssignmentQuery(serializers.Serializer):
    session = _id()
    ordering = _ordering(ASSIGNMENT_ORDER, "-created_at")


# --- viewsets ------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(parameters=[RegistrationQuery], summary="List registrations"),
    retrieve=extend_schema(summary="One of the registrations"),
    create=extend_schema(
        responses={201: RegistrationSerializer, **REFUSALS},
        summary="Register yourself for a session: a seat, a request, or the waitlist",
    ),
)
class RegistrationViewSet(DistrictResourceViewSet):
    """Registrations for sessions. Creating one registers the caller: registered while seats
    are free (requested when the offering needs approval), else waitlisted with a position.
    Approval and denial are for whom the offering names; cancelling frees the seat for the
    waitlist, in order."""

    model = Registration
    serializer_class = RegistrationSerializer
    query_class = RegistrationQuery
    order = REGISTRATION_ORDER
    http_method_names = ["get", "post", "head", "options"]
    object_actions = {
        **DistrictResourceViewSet.object_actions,
        "approve": "approve",
        "deny": "deny",
        "cancel": "cancel",
    }

    def everything(self) -> QuerySet:
        return selectors.registration_list(self.actor)

    def listed(self, params: dict[str, Any]) -> QuerySet:
        return selectors.registration_list(
            self.actor,
            session=params.get("session"),
            status=params.get("status", ""),
            staff=params.get("staff"),
        )

    def create_with(self, data: dict[str, Any]) -> Model:
        session = data["session"]
        access.require(self.actor, "register", session)
        return services.registration_create(
            session=session, staff=self.actor.staff, actor=self.request.user
        )

    @extend_schema(
        request=None,
        responses={200: RegistrationSerializer, **REFUSALS},
        summary="Approve a requested registration (the fee and days are encumbered)",
    )
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        reg = self.get_object()
        return self.respond(services.registration_approve(registration=reg, actor=request.user))

    @extend_schema(
        request=DenyReasonSerializer,
        responses={200: RegistrationSerializer, **REFUSALS},
        summary="Deny a requested registration, saying why",
    )
    @action(detail=True, methods=["post"])
    def deny(self, request, pk=None):
        reg = self.get_object()
        reason = self.body(DenyReasonSerializer)["reason"]
        return self.respond(
            services.registration_deny(registration=reg, actor=request.user, reason=reason)
        )

    @extend_schema(
        request=CancelReasonSerializer,
        responses={200: RegistrationSerializer, **REFUSALS},
        summary="Cancel: the seat goes to the waitlist, what it held is released",
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        reg = self.get_object()
        reason = self.body(CancelReasonSerializer)["reason"]
        return self.respond(
            services.registration_cancel(registration=reg, actor=request.user, reason=reason)
        )


@extend_schema_view(
    list=extend_schema(parameters=[SessionAssignmentQuery], summary="List session assignments"),
    retrieve=extend_schema(summary="One of the session assignments"),
    create=extend_schema(
        responses={201: SessionAssignmentSerializer, **REFUSALS},
        summary="Assign a session to a school's or program's staff (409 beyond the free seats)",
    ),
)
class SessionAssignmentViewSet(DistrictResourceViewSet):
    """Whole-group assignments: a principal assigns a session to their school's staff, a
    program director to their program's, an administrator to any; optionally only some roles,
    subjects or grade bands. Everyone assigned is registered and sees it as required."""

    model = SessionAssignment
    serializer_class = SessionAssignmentSerializer
    query_class = SessionAssignmentQuery
    order = ASSIGNMENT_ORDER
    http_method_names = ["get", "post", "head", "options"]

    def everything(self) -> QuerySet:
        return self.listed({})

    def listed(self, params: dict[str, Any]) -> QuerySet:
        qs = (
            access.visible(self.actor, SessionAssignment)
            .select_related("session__offering", "school", "program", "assigned_by")
            .prefetch_related("assigned_by__staff_records")
        )
        if params.get("session"):
            qs = qs.filter(session_id=params["session"])
        return qs

    def create(self, request, *args, **kwargs):
        access.require(self.actor, "assign", Session)  # leaders only, before the body
        return ScopedModelViewSet.create(self, request, *args, **kwargs)

    def create_with(self, data: dict[str, Any]) -> Model:
        session, school, program = data["session"], data.get("school"), data.get("program")
        access.require(self.actor, "assign", session)
        access.require(
            self.actor,
            "create",
            SessionAssignment(
                district=self.actor.district, session=session, school=school, program=program
            ),
            message="You assign sessions only to the staff you lead.",
        )
        return services.session_assign(
            session=session,
            actor=self.request.user,
            school=school,
            program=program,
            roles=data.get("roles", []),
            subjects=data.get("subjects", []),
            grade_bands=data.get("grade_bands", []),
        )

"""Every API resource, under /api/v1/."""

from django.urls import re_path
from rest_framework import exceptions
from rest_framework.routers import DefaultRouter
from rest_framework.views import APIView

from cadre.catalog.api.offerings import (
    MeetingViewSet,
    OfferingViewSet,
    PartnerViewSet,
    SessionViewSet,
)
from cadre.districts.api import (
    AssignmentViewSet,
    ProgramViewSet,
    SchoolViewSet,
    SchoolYearViewSet,
    StaffViewSet,
)
from cadre.funding.api.budgets import BudgetViewSet, FundingSourceViewSet
from cadre.funding.api.ledger import BudgetTransferViewSet, FiscalYearViewSet, LedgerEntryViewSet
from cadre.funding.api.plans import ProgramPlanViewSet
from cadre.funding.api.stipends import (
    PayrollBatchViewSet,
    StipendAwardViewSet,
    StipendScheduleViewSet,
)
from cadre.growth.api import IsdAllotmentViewSet, IsdRequestViewSet, ProfessionalGoalViewSet
from cadre.planning.api import (
    NeedsAssessmentViewSet,
    PdPlanViewSet,
    PlanGoalViewSet,
    StrategicPlanViewSet,
)

router = DefaultRouter()
router.register("partners", PartnerViewSet, basename="partner")
router.register("offerings", OfferingViewSet, basename="offering")
router.register("sessions", SessionViewSet, basename="session")
router.register("meetings", MeetingViewSet, basename="meeting")
from cadre.catalog.api.registration import (  # noqa: E402
    RegistrationViewSet,
    SessionAssignmentViewSet,
)

router.register("registrations", RegistrationViewSet, basename="registration")
router.register("session-assignments", SessionAssignmentViewSet, basename="session-assignment")
from cadre.catalog.api.attendance import AttendanceViewSet, CompletionViewSet  # noqa: E402

router.register("attendance", AttendanceViewSet, basename="attendance")
router.register("completions", CompletionViewSet, basename="completion")
from cadre.catalog.api.transcript import ExternalHoursViewSet, TranscriptViewSet  # noqa: E402

router.register("transcripts", TranscriptViewSet, basename="transcript")
router.register("external-hours", ExternalHoursViewSet, basename="external-hours")
router.register("schools", SchoolViewSet, basename="school")
router.register("programs", ProgramViewSet, basename="program")
router.register("school-years", SchoolYearViewSet, basename="school-year")
router.register("staff", StaffViewSet, basename="staff")
from cadre.districts.imports_api import ImportRunViewSet, StaffDataViewSet  # noqa: E402

router.register("imports", ImportRunViewSet, basename="import")
router.register("staff-data", StaffDataViewSet, basename="staff-data")
router.register("assignments", AssignmentViewSet, basename="assignment")
router.register("funding-sources", FundingSourceViewSet, basename="funding-source")
router.register("budgets", BudgetViewSet, basename="budget")
router.register("ledger-entries", LedgerEntryViewSet, basename="ledger-entry")
router.register("budget-transfers", BudgetTransferViewSet, basename="budget-transfer")
router.register("fiscal-years", FiscalYearViewSet, basename="fiscal-year")
router.register("stipend-schedules", StipendScheduleViewSet, basename="stipend-schedule")
router.register("stipend-awards", StipendAwardViewSet, basename="stipend-award")
router.register("payroll-batches", PayrollBatchViewSet, basename="payroll-batch")
router.register("program-plans", ProgramPlanViewSet, basename="program-plan")
router.register("strategic-plans", StrategicPlanViewSet, basename="strategic-plan")
router.register("plan-goals", PlanGoalViewSet, basename="plan-goal")
router.register("needs-assessments", NeedsAssessmentViewSet, basename="needs-assessment")
router.register("pd-plans", PdPlanViewSet, basename="pd-plan")
router.register("professional-goals", ProfessionalGoalViewSet, basename="professional-goal")
router.register("isd-allotments", IsdAllotmentViewSet, basename="isd-allotment")
router.register("isd-requests", IsdRequestViewSet, basename="isd-request")
from cadre.mentoring.api import (  # noqa: E402
    LogViewSet,
    MatchViewSet,
    MentorViewSet,
    OnboardingChecklistViewSet,
)

router.register("mentors", MentorViewSet, basename="mentor")
router.register("mentor-matches", MatchViewSet, basename="mentor-match")
router.register("mentor-logs", LogViewSet, basename="mentor-log")
router.register(
    "onboarding-checklists", OnboardingChecklistViewSet, basename="onboarding-checklist"
)
from cadre.collaboration.api.check_ins import CheckInViewSet  # noqa: E402
from cadre.collaboration.api.groups import GroupViewSet  # noqa: E402
from cadre.collaboration.api.meetings import GroupMeetingViewSet  # noqa: E402

router.register("groups", GroupViewSet, basename="group")
router.register("group-meetings", GroupMeetingViewSet, basename="group-meeting")
router.register("check-ins", CheckInViewSet, basename="check-in")
from cadre.coaching.api.cycles import CoachingCycleViewSet  # noqa: E402
from cadre.coaching.api.lookfors import LookForViewSet  # noqa: E402
from cadre.coaching.api.observations import ObservationViewSet  # noqa: E402
from cadre.coaching.api.rubrics import RubricViewSet  # noqa: E402

router.register("coaching-cycles", CoachingCycleViewSet, basename="coaching-cycle")
router.register("observations", ObservationViewSet, basename="observation")
router.register("rubrics", RubricViewSet, basename="rubric")
router.register("look-fors", LookForViewSet, basename="look-for")


class NotFoundView(APIView):
    """A path under /api/v1/ that names no resource (`staff/abc/x/`, `transcripts/abc/`): the
    API's JSON 404 rather than the site's HTML page, whoever asks."""

    authentication_classes = ()
    permission_classes = ()
    schema = None  # not an operation

    def initial(self, request, *args, **kwargs):
        raise exceptions.NotFound()


# Last, and only for paths ending in a slash, so a path missing its slash still redirects.
urlpatterns = [
    *router.urls,
    re_path(r"^(?P<rest>.*)/$", NotFoundView.as_view(), name="not-found"),
]

"""Every API resource, under /api/v1/."""

from rest_framework.routers import DefaultRouter

from cadre.districts.api import (
    AssignmentViewSet,
    ProgramViewSet,
    SchoolViewSet,
    SchoolYearViewSet,
    StaffViewSet,
)
from cadre.funding.api import (
    BudgetTransferViewSet,
    BudgetViewSet,
    FiscalYearViewSet,
    FundingSourceViewSet,
    LedgerEntryViewSet,
    PayrollBatchViewSet,
    ProgramPlanViewSet,
    StipendAwardViewSet,
    StipendScheduleViewSet,
)

router = DefaultRouter()
router.register("schools", SchoolViewSet, basename="school")
router.register("programs", ProgramViewSet, basename="program")
router.register("school-years", SchoolYearViewSet, basename="school-year")
router.register("staff", StaffViewSet, basename="staff")
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

urlpatterns = router.urls

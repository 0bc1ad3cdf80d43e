"""Every API resource, under /api/v1/."""

from rest_framework.routers import DefaultRouter

from cadre.districts.api import (
    AssignmentViewSet,
    ProgramViewSet,
    SchoolViewSet,
    SchoolYearViewSet,
    StaffViewSet,
)

router = DefaultRouter()
router.register("schools", SchoolViewSet, basename="school")
router.register("programs", ProgramViewSet, basename="program")
router.register("school-years", SchoolYearViewSet, basename="school-year")
router.register("staff", StaffViewSet, basename="staff")
router.register("assignments", AssignmentViewSet, basename="assignment")

urlpatterns = router.urls

"""The growth API's contract, for the shared checks (cadre/tests/test_api_checks.py).

In district A of the `world` the teacher has a submitted `professional_goal` and a submitted
`isd_request` (and an `approved_request`); `allotment` is the district's default ISD
allotment. The administrator asks.
"""

from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from cadre.districts.factories import AssignmentFactory, SchoolFactory, StaffFactory
from cadre.districts.models import Staff
from cadre.growth import services
from cadre.growth.models import IsdRequest, ProfessionalGoal
from cadre.tests.api_checks import TOO_BIG, Actions, Malformed, Queries, Resource

D = Decimal
PDF = b"%PDF-1.4 a receipt"


def staff_at(school) -> Staff:
    staff = StaffFactory(district=school.district)
    AssignmentFactory(staff=staff, school=school)
    return staff


def more_goals(world, n, school=None):
    school = school or SchoolFactory(district=world.a)
    aligns_to = [world.obj("a.district_goal")]
    for _ in range(n):
        staff = staff_at(school)
        goal = services.goal_create(
            staff=staff,
            actor=staff.user,
            data={
                "title": "Goal",
                "statement": "s",
                "activities": "a",
                "evidence": "e",
                "school_year": world.obj("a.year"),
            },
            aligns_to=aligns_to,
        )
        goal = services.goal_submit(goal=goal, actor=staff.user)
        services.goal_approve(goal=goal, actor=world.obj("a.admin").user)


def more_allotments(world, n):
    admin = world.obj("a.admin").user
    for i in range(n):
        services.allotment_create(
            district=world.a,
            actor=admin,
            data={
                "school_year": world.obj("a.year"),
                "bargaining_unit": f"Unit {i}",
                "source": world.obj("a.isd_source"),
                "amount": D("100"),
            },
        )


def more_requests(world, n):
    school = SchoolFactory(district=world.a)
    today = world.a.today()
    admin = world.obj("a.admin").user
    for _ in range(n):
        staff = staff_at(school)
        request = services.isd_request_create(
            staff=staff,
            actor=staff.user,
            data={
                "kind": "course",
                "title": "Course",
                "start_date": today,
                "end_date": today,
                "cost": D("10"),
                "rationale": "r",
            },
        )
        services.isd_attach(
            request=request,
            actor=staff.user,
            upload=SimpleUploadedFile("r.pdf", PDF, "application/pdf"),
        )
        services.isd_approve(request=request, actor=admin)


def _request_unchanged(world):
    assert IsdRequest.objects.get(pk=world.obj("a.isd_request").pk).status == "submitted"


def _goal_unchanged(world):
    goal = ProfessionalGoal.objects.get(pk=world.obj("a.professional_goal").pk)
    assert goal.status == "submitted"


RESOURCES = {
    "professional-goals": Resource(
        obj="professional_goal",
        bad_params=(
            ("professional-goals/", {"status": "done"}, "status"),
            ("professional-goals/", {"staff": "me"}, "staff"),
            ("professional-goals/", {"school": str(TOO_BIG)}, "school"),
            ("professional-goals/", {"program": "0"}, "program"),
            ("professional-goals/", {"school_year": "-1"}, "school_year"),
            ("professional-goals/", {"ordering": "password"}, "ordering"),
        ),
        # the goals' alignments, who decided
        queries=Queries(more_goals, 12, 7),
    ),
    "isd-allotments": Resource(
        obj="allotment",
        bad_params=(
            ("isd-allotments/", {"school_year": "x"}, "school_year"),
            ("isd-allotments/", {"ordering": "amount"}, "ordering"),
            ("isd-allotments/balance/", {"school_year": "1.5"}, "school_year"),
        ),
        queries=Queries(more_allotments, 10, 5),
    ),
    "isd-requests": Resource(
        obj="isd_request",
        bad_params=(
            ("isd-requests/", {"status": "paid"}, "status"),
            ("isd-requests/", {"staff": str(TOO_BIG)}, "staff"),
            ("isd-requests/", {"ordering": "cost"}, "ordering"),
        ),
        # the requests' attachments, who decided
        queries=Queries(more_requests, 12, 7),
    ),
}
ACTIONS = Actions(
    paths=(
        "professional-goals/{professional_goal}/submit/",
        "professional-goals/{professional_goal}/withdraw/",
        "professional-goals/{professional_goal}/approve/",
        "professional-goals/{professional_goal}/return/",
        "professional-goals/{professional_goal}/reflect/",
        "isd-requests/{isd_request}/approve/",
        "isd-requests/{isd_request}/deny/",
        "isd-requests/{approved_request}/complete/",
        "isd-requests/{isd_request}/reimburse/",
        "isd-requests/{isd_request}/cancel/",
        "isd-requests/{isd_request}/attachments/",
    ),
    unchanged=_request_unchanged,
)
MALFORMED = Malformed(
    "a.principal", "professional-goals/{professional_goal}/return/", unchanged=_goal_unchanged
)

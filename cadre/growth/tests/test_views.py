from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cadre.audit.models import AuditEvent
from cadre.districts.factories import staff_with_role
from cadre.districts.models import Role
from cadre.funding.models import Budget, LedgerEntry
from cadre.growth import services
from cadre.growth.models import IsdAllotment, IsdAttachment, IsdRequest, ProfessionalGoal
from cadre.planning import services as planning
from cadre.planning.models import StrategicPlan
from cadre.tests.kit import login, text, url

pytestmark = pytest.mark.django_db
D = Decimal
GOAL = {
    "statement": "Lift reading in grade 3",
    "activities": "Reading institute; peer observation",
    "evidence": "Spring screener growth",
}


def status_of(obj) -> str:
    return type(obj).objects.get(pk=obj.pk).status


def goal_for(staff, o, title="Another goal", submit=True):
    goal = services.goal_create(
        staff=staff, actor=staff.user, data={"title": title, **GOAL}, aligns_to=[o["school_goal"]]
    )
    return services.goal_submit(goal=goal, actor=staff.user) if submit else goal


def request_data(o, **extra):
    start = o["isd_request"].start_date
    return {
        "kind": "course",
        "title": "Phonics course",
        "provider": "State university",
        "start_date": start.isoformat(),
        "end_date": (start + timedelta(days=2)).isoformat(),
        "cost": "400",
        "hours": "10",
        "goal": o["professional_goal"].pk,
        "rationale": "Serves my reading goal",
        **extra,
    }


# --- professional goals ----------------------------------------------------------------------


def test_a_teacher_writes_submits_withdraws_and_resubmits_a_goal(client, o):
    teacher = login(client, o["teacher"])
    assert "New goal" in text(teacher.get(url("professional-goal-list")))
    response = teacher.post(
        url("professional-goal-create"),
        {"title": "Guided reading groups", **GOAL, "aligns_to": [o["school_goal"].pk]},
    )
    goal = ProfessionalGoal.objects.get(title="Guided reading groups")
    assert response.status_code == 302 and response["Location"] == url(
        "professional-goal-detail", goal
    )
    assert goal.school == o["school"] and goal.status == "draft"

    teacher.post(url("professional-goal-submit", goal))
    assert status_of(goal) == "submitted"
    page = text(teacher.get(url("professional-goal-detail", goal)))
    assert "Withdraw to change it" in page and "S1" in page

    teacher.post(url("professional-goal-withdraw", goal))
    assert status_of(goal) == "draft"
    response = teacher.post(
        url("professional-goal-edit", goal),
        {
            "title": "Guided reading groups",
            **GOAL,
            "evidence": "Running records",
            "aligns_to": [o["school_goal"].pk, o["district_goal"].pk],
        },
    )
    assert response.status_code == 302
    teacher.post(url("professional-goal-submit", goal))
    goal.refresh_from_db()
    assert goal.status == "submitted" and goal.evidence == "Running records"
    assert {g.code for g in goal.aligns_to.all()} == {"S1", "D1"}

    # Every step is audited and shown on the goal's page.
    moves = list(
        AuditEvent.objects.filter(object_type="growth.professionalgoal", object_id=str(goal.pk))
        .exclude(to_state="")
        .order_by("at", "id")
        .values_list("from_state", "to_state")
    )
    assert moves == [("draft", "submitted"), ("submitted", "draft"), ("draft", "submitted")]
    history = teacher.get(url("professional-goal-detail", goal)).context["events"]
    assert len([e for e in history if e.to_state]) == 3


def test_an_incomplete_goal_is_not_submitted_and_says_why(client, o):
    teacher = login(client, o["teacher"])
    teacher.post(url("professional-goal-create"), {"title": "Bare"})
    goal = ProfessionalGoal.objects.get(title="Bare")
    response = teacher.post(url("professional-goal-submit", goal), follow=True)
    assert "Before submitting, add" in text(response) and status_of(goal) == "draft"


def test_the_principal_approves_one_and_returns_another_and_the_teacher_resubmits(client, o):
    second = goal_for(o["teacher"], o, "Writing conferences")
    principal = login(client, o["principal"])
    page = text(principal.get(url("professional-goal-detail", o["professional_goal"])))
    assert "Your decision" in page and "Return with this comment" in page
    principal.post(url("professional-goal-approve", o["professional_goal"]))
    assert status_of(o["professional_goal"]) == "approved"

    empty = principal.post(url("professional-goal-return", second), {"comment": "  "})
    assert empty.status_code == 400 and "This field is required" in text(empty)
    principal.post(url("professional-goal-return", second), {"comment": "Name the measure."})
    assert status_of(second) == "returned"
    # Approving twice is refused with a message, not an error page.
    again = principal.post(url("professional-goal-approve", o["professional_goal"]), follow=True)
    assert again.status_code == 200 and "is approved; you cannot approve it" in text(again)

    teacher = login(client, o["teacher"])
    page = text(teacher.get(url("professional-goal-detail", second)))
    assert "Name the measure." in page and "Resubmit for approval" in page
    edit = teacher.get(url("professional-goal-edit", second))
    assert "Name the measure." in text(edit)
    teacher.post(url("professional-goal-submit", second))
    assert status_of(second) == "submitted"
    # The author cannot decide their own goal.
    assert teacher.post(url("professional-goal-approve", second)).status_code == 403


def test_the_teacher_reflects_on_an_approved_goal(client, o):
    goal = o["professional_goal"]
    services.goal_approve(goal=goal, actor=o["principal"].user)
    teacher = login(client, o["teacher"])
    form = teacher.get(url("professional-goal-reflect", goal))
    assert form.status_code == 200 and "Was the goal met?" in text(form)
    bad = teacher.post(url("professional-goal-reflect", goal), {"reflection": "Good year"})
    assert bad.status_code == 400
    bad = teacher.post(
        url("professional-goal-reflect", goal), {"reflection": "Good", "outcome": "sort of"}
    )
    assert bad.status_code == 400
    done = teacher.post(
        url("professional-goal-reflect", goal),
        {"reflection": "Most readers grew a level.", "outcome": "partly_met"},
    )
    assert done.status_code == 302
    goal.refresh_from_db()
    assert goal.outcome == "partly_met" and goal.reflected_at is not None
    assert "Partly met" in text(teacher.get(url("professional-goal-detail", goal)))


def test_the_edit_page_offers_only_published_goals_of_the_authors_units(client, o, world):
    other_plan = planning.plan_create(
        district=world.a,
        actor=o["admin"].user,
        data={
            "level": StrategicPlan.Level.SCHOOL,
            "school": o["other_school"],
            "title": "Other plan",
            "first_year": o["year"],
            "last_year": o["year"],
        },
    )
    elsewhere = planning.goal_create(
        plan=other_plan,
        actor=o["admin"].user,
        data={"code": "O1", "title": "Elsewhere", "measure": "m", "target": "t"},
        aligns_to=[o["district_goal"]],
    )
    planning.plan_publish(plan=other_plan, actor=o["admin"].user)
    teacher = login(client, o["teacher"])
    response = teacher.get(url("professional-goal-edit", o["draft_goal_personal"]))
    offered = set(response.context["form"].fields["aligns_to"].queryset)
    assert offered == {o["school_goal"], o["district_goal"]}
    assert 'data-autosave="' in text(response) and "js/autosave.js" in text(response)
    # A draft plan's goal or another school's goal is refused, with a 400 and the reason.
    for wrong in (o["draft_goal"], elsewhere):
        response = teacher.post(
            url("professional-goal-edit", o["draft_goal_personal"]),
            {"title": "Small groups", "aligns_to": [wrong.pk]},
        )
        assert response.status_code == 400 and "valid choice" in text(response)
    # The program teacher is offered the district's goals (their program has no plan).
    program_teacher = login(client, o["program_teacher"])
    frame = program_teacher.get(url("professional-goal-create"))
    assert set(frame.context["form"].fields["aligns_to"].queryset) == {o["district_goal"]}


def test_autosave_saves_a_draft_and_refuses_on_a_submitted_goal(client, o):
    teacher = login(client, o["teacher"])
    draft = o["draft_goal_personal"]
    response = teacher.post(
        url("professional-goal-autosave", draft),
        {
            "title": "Small groups, half typed",
            "statement": "Half a tho",
            **{k: v for k, v in GOAL.items() if k != "statement"},
            "aligns_to": [o["school_goal"].pk],
        },
    )
    assert response.status_code == 200
    assert response.json()["detail"].startswith("Saved at ")
    draft.refresh_from_db()
    assert (draft.title, draft.statement) == ("Small groups, half typed", "Half a tho")
    # A blank title is not saved: 400 with the reason, and the stored draft is kept.
    blank = teacher.post(url("professional-goal-autosave", draft), {"title": "", **GOAL})
    assert blank.status_code == 400 and "Not saved" in blank.json()["detail"]
    assert ProfessionalGoal.objects.get(pk=draft.pk).title == "Small groups, half typed"
    garbage = teacher.post(
        url("professional-goal-autosave", draft), {"title": "x", "aligns_to": ["abc"]}
    )
    assert garbage.status_code == 400
    submitted = teacher.post(
        url("professional-goal-autosave", o["professional_goal"]), {"title": "Changed", **GOAL}
    )
    assert submitted.status_code == 409
    assert submitted.json()["code"] == "goal.not_editable"
    assert "submitted" in submitted.json()["detail"]
    assert ProfessionalGoal.objects.get(pk=o["professional_goal"].pk).title == "Guided reading"
    assert teacher.get(url("professional-goal-autosave", draft)).status_code == 405


def test_goal_status_counts_per_status_and_filters(client, o, world):
    newcomer = staff_with_role(Role.TEACHER, school=o["school"], last_name="Aaronson")
    principal = login(client, o["principal"])
    response = principal.get(url("goal-status"))
    assert response.status_code == 200
    summary = {value: n for value, _, n in response.context["summary"]}
    # The newcomer, the world's two new teachers and its instructional coach have no goal yet.
    assert summary == {"draft": 1, "submitted": 1, "returned": 0, "approved": 0, "none": 4}
    rows = {r.staff.pk: r for r in response.context["rows"]}
    world_new = {o["new_teacher"].pk, o["second_new_teacher"].pk, o["coach"].pk}
    # Not the principal, not elsewhere.
    assert set(rows) == {o["teacher"].pk, newcomer.pk, *world_new}
    assert len(rows[o["teacher"].pk].goals) == 2 and rows[newcomer.pk].goals == []
    assert "No goal yet" in text(response)

    waiting = principal.get(url("goal-status"), {"needs_action": "1"})
    assert [r.staff.pk for r in waiting.context["rows"]] == [o["teacher"].pk]
    nobody = principal.get(url("goal-status"), {"status": "none"})
    # Aaronson sorts first; then the world's new teachers and its coach, by name.
    by_name = sorted(
        (o["new_teacher"], o["second_new_teacher"], o["coach"]),
        key=lambda s: (s.last_name, s.first_name, s.pk),
    )
    assert [r.staff.pk for r in nobody.context["rows"]] == [newcomer.pk, *(s.pk for s in by_name)]
    # Another school is not the principal's to filter to.
    other = principal.get(url("goal-status"), {"school": o["other_school"].pk})
    assert other.context["rows"] == []

    director = login(client, o["director"])
    rows = director.get(url("goal-status")).context["rows"]
    assert [r.staff.pk for r in rows] == [o["program_teacher"].pk]
    admin = login(client, o["admin"])
    rows = admin.get(url("goal-status"), {"school": o["school"].pk}).context["rows"]
    assert {r.staff.pk for r in rows} == {
        o["teacher"].pk,
        newcomer.pk,
        o["principal"].pk,
        *world_new,
    }
    assert login(client, o["teacher"]).get(url("goal-status")).status_code == 403


def test_a_teacher_never_sees_a_colleagues_goal_request_or_file(client, o):
    other = login(client, o["other_teacher"])
    for name, key in (
        ("professional-goal-detail", "professional_goal"),
        ("professional-goal-edit", "draft_goal_personal"),
        ("isd-request-detail", "isd_request"),
        ("isd-attachment", "attachment"),
    ):
        assert other.get(url(name, o[key])).status_code == 404, name
    assert (
        other.post(url("isd-request-cancel", o["isd_request"]), {"reason": "x"}).status_code == 404
    )
    page = other.get(url("isd-request-list"), {"view": "all"})
    assert list(page.context["page"]) == []


def test_principal_and_director_see_only_their_own_staffs_requests(client, o):
    principal = login(client, o["principal"])
    seen = {r.pk for r in principal.get(url("isd-request-list"), {"view": "all"}).context["page"]}
    assert seen == {o["isd_request"].pk, o["approved_request"].pk}
    deciding = principal.get(url("isd-request-list"), {"view": "decide"}).context["page"]
    assert [r.pk for r in deciding] == [o["isd_request"].pk]
    assert principal.get(url("isd-request-detail", o["program_request"])).status_code == 404
    assert principal.get(url("professional-goal-detail", o["program_goal"])).status_code == 404

    director = login(client, o["director"])
    seen = {r.pk for r in director.get(url("isd-request-list"), {"view": "all"}).context["page"]}
    assert seen == {o["program_request"].pk}
    assert director.get(url("isd-request-detail", o["isd_request"])).status_code == 404
    assert director.get(url("isd-attachment", o["attachment"])).status_code == 404
    assert director.get(url("professional-goal-detail", o["professional_goal"])).status_code == 404


# --- ISD ---------------------------------------------------------------------------------------


def test_the_isd_request_from_filing_to_reimbursement(client, o):
    teacher = login(client, o["teacher"])
    form = teacher.get(url("isd-request-create"))
    assert "Your ISD balance" in text(form) and "$1,200.00" in text(form)  # 1500 − 300 held
    assert set(form.context["form"].fields["goal"].queryset) == {
        o["professional_goal"],
        o["draft_goal_personal"],
    }
    response = teacher.post(url("isd-request-create"), request_data(o))
    isd = IsdRequest.objects.get(title="Phonics course")
    assert response.status_code == 302 and isd.status == "submitted"
    assert isd.goal == o["professional_goal"]

    pdf = SimpleUploadedFile("receipt.pdf", b"%PDF-1.7\nreceipt", "application/pdf")
    assert teacher.post(url("isd-request-attach", isd), {"file": pdf}).status_code == 302
    fake = SimpleUploadedFile("invoice.pdf", b"just some text, not a PDF", "application/pdf")
    refused = teacher.post(url("isd-request-attach", isd), {"file": fake})
    assert refused.status_code == 400 and "Attach a PDF, PNG or JPEG file" in text(refused)
    assert [a.name for a in IsdAttachment.objects.filter(request=isd)] == ["receipt.pdf"]

    principal = login(client, o["principal"])
    page = text(principal.get(url("isd-request-detail", isd)))
    assert "receipt.pdf" in page and "Approve and hold $400.00" in page
    principal.post(url("isd-request-approve", isd))
    isd.refresh_from_db()
    assert isd.status == "approved"
    encumbrance = LedgerEntry.objects.get(pk=isd.encumbrance_id)
    assert encumbrance.kind == "encumbrance" and encumbrance.amount == D("400")
    assert encumbrance.budget.source == o["isd_source"]

    teacher = login(client, o["teacher"])
    assert teacher.post(url("isd-request-complete", isd), {"note": " "}).status_code == 400
    teacher.post(url("isd-request-complete", isd), {"note": "Finished; certificate attached"})
    assert status_of(isd) == "completed"

    admin = login(client, o["admin"])
    todo = admin.get(url("isd-request-list"), {"view": "reimburse"}).context["page"]
    assert [r.pk for r in todo] == [isd.pk]
    for bad, says in (
        ("abc", "Enter a number"),
        ("-1", "greater than or equal to 0"),
        ("500", "more than the $400.00 approved"),
        ("1e30", "digits"),
    ):
        response = admin.post(url("isd-request-reimburse", isd), {"paid_amount": bad})
        assert response.status_code == 400 and says in text(response), bad
    admin.post(url("isd-request-reimburse", isd), {"paid_amount": "350.00"})
    isd.refresh_from_db()
    assert isd.status == "reimbursed" and isd.paid_amount == D("350.00")
    have = services.balance(o["teacher"], isd.school_year)
    # 1500 allotted − 300 still held by the approved course − 350 actually paid.
    assert (have.committed_amount, have.spent_amount, have.remaining_amount) == (
        D("300"),
        D("350"),
        D("850"),
    )
    budget = Budget.objects.get(pk=o["isd_budget"].pk)
    assert budget.spent_amount == D("350")
    teacher = login(client, o["teacher"])
    assert "$850.00" in text(teacher.get(url("professional-goal-list")))
    # The whole trail is on the request's page.
    page = text(teacher.get(url("isd-request-detail", isd)))
    assert "Approved → completed" in page and "Completed → reimbursed" in page
    assert "Paid $350.00" in page


def test_a_denial_carries_its_reason(client, o):
    principal = login(client, o["principal"])
    empty = principal.post(url("isd-request-deny", o["isd_request"]), {"reason": ""})
    assert empty.status_code == 400 and "This field is required" in text(empty)
    principal.post(url("isd-request-deny", o["isd_request"]), {"reason": "Not this year"})
    assert status_of(o["isd_request"]) == "denied"
    page = text(login(client, o["teacher"]).get(url("isd-request-detail", o["isd_request"])))
    assert "Reason for the denial" in page and "Not this year" in page
    assert "Cancel the request" not in page


def test_cancelling_an_approved_request_releases_its_hold(client, o):
    isd = o["approved_request"]
    before = services.balance(o["teacher"], isd.school_year)
    teacher = login(client, o["teacher"])
    teacher.post(url("isd-request-cancel", isd), {"reason": "Course was cancelled"})
    isd.refresh_from_db()
    assert isd.status == "cancelled" and isd.reason == "Course was cancelled"
    assert LedgerEntry.objects.filter(encumbrance_id=isd.encumbrance_id, kind="release").exists()
    after = services.balance(o["teacher"], isd.school_year)
    assert after.remaining_amount == before.remaining_amount + D("300")
    # Cancelling again is refused with a message, not an error page.
    again = teacher.post(url("isd-request-cancel", isd), {"reason": "Again"}, follow=True)
    assert again.status_code == 200 and "you cannot cancel it" in text(again)


def test_the_attachment_downloads_safely_only_to_those_who_see_it(client, o):
    for who in ("teacher", "principal", "admin"):
        response = login(client, o[who]).get(url("isd-attachment", o["attachment"]))
        assert response.status_code == 200, who
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"].startswith("attachment;")
        assert 'filename="receipt.pdf"' in response["Content-Disposition"]
        assert response["X-Content-Type-Options"] == "nosniff"
        assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert (
        login(client, o["director"]).get(url("isd-attachment", o["attachment"])).status_code == 404
    )


def test_the_business_office_reimburses(client, o, world):
    isd = o["approved_request"]
    services.isd_complete(request=isd, actor=o["teacher"].user, note="Done")
    office = login(client, staff_with_role(Role.BUSINESS_OFFICE, district=world.a))
    todo = office.get(url("isd-request-list"), {"view": "reimburse"}).context["page"]
    assert [r.pk for r in todo] == [isd.pk]
    assert office.get(url("isd-attachment", o["attachment"])).status_code == 200
    assert office.post(url("isd-request-approve", o["isd_request"])).status_code == 403
    office.post(url("isd-request-reimburse", isd), {"paid_amount": "300"})
    assert status_of(isd) == "reimbursed"


@pytest.mark.parametrize(
    ("change", "says"),
    [
        ({"goal": "abc"}, "valid choice"),
        ({"goal": "99999999999999999999999"}, "valid choice"),
        ({"cost": "-5"}, "greater than or equal to 0"),
        ({"cost": "1e30"}, "digits"),
        ({"hours": "99999999999999"}, "digits"),
        ({"cost": "NaN"}, "Enter a number"),
        ({"start_date": "2026-13-40"}, "Enter a valid date"),
        ({"end_date": "1999-01-01"}, "The end date comes after the start"),
        ({"kind": "yacht"}, "valid choice"),
        ({"cost": "0", "hours": "0"}, "Give the cost, the hours, or both"),
        ({"title": "x" * 300}, "at most 200 characters"),
        ({"cost": "5000"}, "exceeds the ISD balance"),
    ],
)
def test_bad_isd_input_is_a_400_with_the_reason(client, o, change, says):
    response = login(client, o["teacher"]).post(
        url("isd-request-create"), request_data(o, **change)
    )
    assert response.status_code == 400 and says in text(response)
    assert not IsdRequest.objects.filter(title="Phonics course").exists()


def test_a_colleagues_goal_cannot_be_served(client, o):
    response = login(client, o["teacher"]).post(
        url("isd-request-create"), request_data(o, goal=o["program_goal"].pk)
    )
    assert response.status_code == 400 and "valid choice" in text(response)


def test_bad_goal_input_is_a_400(client, o):
    teacher = login(client, o["teacher"])
    for data in (
        {"title": ""},
        {"title": "t" * 201},
        {"title": "ok", "aligns_to": ["abc"]},
        {"title": "ok", "aligns_to": ["99999999999999999999"]},
        {"title": "ok", "statement": "x" * 10_001},
    ):
        assert teacher.post(url("professional-goal-create"), data).status_code == 400, data
    assert not ProfessionalGoal.objects.filter(title="ok").exists()


def test_allotments_are_listed_and_kept_by_admins(client, o, world):
    teacher = login(client, o["teacher"])
    page = text(teacher.get(url("isd-allotment-list")))
    assert "$1,500.00" in page and "Your ISD balance" in page and "New allotment" not in page
    admin = login(client, o["admin"])
    response = admin.post(
        url("isd-allotment-create"),
        {
            "school_year": o["year"].pk,
            "bargaining_unit": "CEA",
            "role": "teacher",
            "source": o["isd_source"].pk,
            "amount": "2000",
            "hours": "40",
        },
    )
    assert response.status_code == 302
    row = IsdAllotment.objects.get(bargaining_unit="CEA")
    duplicate = admin.post(
        url("isd-allotment-create"),
        {
            "school_year": o["year"].pk,
            "bargaining_unit": "CEA",
            "role": "teacher",
            "source": o["isd_source"].pk,
            "amount": "1",
            "hours": "1",
        },
    )
    assert duplicate.status_code == 400
    for bad in ({"amount": "-1"}, {"role": "astronaut"}, {"source": o["source"].pk}):
        data = {
            "school_year": o["year"].pk,
            "bargaining_unit": "CEA",
            "role": "teacher",
            "source": o["isd_source"].pk,
            "amount": "2000",
            "hours": "40",
            **bad,
        }
        assert admin.post(url("isd-allotment-edit", row), data).status_code == 400, bad
    edit = admin.post(
        url("isd-allotment-edit", row),
        {
            "school_year": o["year"].pk,
            "bargaining_unit": "CEA",
            "role": "teacher",
            "source": o["isd_source"].pk,
            "amount": "2500",
            "hours": "40",
        },
    )
    assert edit.status_code == 302
    assert IsdAllotment.objects.get(pk=row.pk).amount == D("2500")
    assert login(client, o["teacher"]).get(url("isd-allotment-edit", row)).status_code == 403


def test_home_shows_goals_and_what_waits(client, o):
    page = text(login(client, o["teacher"]).get("/"))
    assert "Goals and ISD" in page and "ISD balance left" in page
    page = text(login(client, o["principal"]).get("/"))
    assert "goal to approve or return" in page and "ISD request to decide" in page
    nav = dict(login(client, o["principal"]).get("/").context["nav"])
    assert nav["Goal status"] == url("goal-status")
    assert "Goal status" not in dict(login(client, o["teacher"]).get("/").context["nav"])


# --- pinned query counts ---------------------------------------------------------------------


def _pinned(client, path, grow, django_assert_num_queries, *, rows, expected: int):
    """The same number of queries for two rows as for six, and that number pinned."""
    response = client.get(path)
    assert len(rows(response)) == 2
    with django_assert_num_queries(expected):
        client.get(path)
    grow(4)
    with django_assert_num_queries(expected):
        response = client.get(path)
    assert len(rows(response)) == 6


def test_goal_list_queries_are_pinned(client, o, django_assert_num_queries):
    login(client, o["teacher"])

    def grow(n):
        for i in range(n):
            goal_for(o["teacher"], o, f"Goal {i}", submit=bool(i % 2))

    _pinned(
        client,
        url("professional-goal-list"),
        grow,
        django_assert_num_queries,
        rows=lambda r: list(r.context["page"]),
        expected=16,
    )


def test_goal_status_queries_are_pinned(client, o, django_assert_num_queries):
    goal_for(staff_with_role(Role.TEACHER, school=o["school"]), o)
    login(client, o["principal"])

    def grow(n):
        for i in range(n):
            goal_for(staff_with_role(Role.TEACHER, school=o["school"]), o, f"G{i}")

    _pinned(
        client,
        url("goal-status"),
        grow,
        django_assert_num_queries,
        # Beside the world's two new teachers and its coach, who have no goal.
        rows=lambda r: [
            row
            for row in r.context["rows"]
            if row.staff.pk not in {o["new_teacher"].pk, o["second_new_teacher"].pk, o["coach"].pk}
        ],
        expected=15,
    )


def test_isd_request_list_queries_are_pinned(client, o, django_assert_num_queries):
    login(client, o["teacher"])
    start = o["isd_request"].start_date

    def grow(n):
        for i in range(n):
            services.isd_request_create(
                staff=o["teacher"],
                actor=o["teacher"].user,
                data={
                    "kind": "materials",
                    "title": f"Books {i}",
                    "start_date": start,
                    "end_date": start,
                    "cost": D("10"),
                    "hours": D("0"),
                    "goal": o["professional_goal"],
                    "rationale": "why",
                },
            )

    _pinned(
        client,
        url("isd-request-list"),
        grow,
        django_assert_num_queries,
        rows=lambda r: list(r.context["page"]),
        expected=14,
    )


def test_allotment_list_queries_are_pinned(client, o, django_assert_num_queries):
    login(client, o["admin"])

    def add(unit):
        services.allotment_create(
            district=o["school"].district,
            actor=o["admin"].user,
            data={
                "school_year": o["year"],
                "bargaining_unit": unit,
                "source": o["isd_source"],
                "amount": D("100"),
                "hours": D("1"),
            },
        )

    add("Unit 0")
    _pinned(
        client,
        url("isd-allotment-list"),
        lambda n: [add(f"Unit {i + 1}") for i in range(n)],
        django_assert_num_queries,
        rows=lambda r: list(r.context["page"]),
        expected=14,
    )


def test_an_isd_request_can_name_a_catalogue_offering(client, o):
    teacher = login(client, o["teacher"])
    form = teacher.get(url("isd-request-create") + f"?offering={o['offering'].pk}")
    offered = set(form.context["form"].fields["offering"].queryset)
    assert o["offering"] in offered and o["draft_offering"] not in offered
    assert form.context["form"].initial["offering"] == o["offering"]
    data = request_data(o, kind="offering", title="", provider="", offering=o["offering"].pk)
    assert teacher.post(url("isd-request-create"), data).status_code == 302
    isd = IsdRequest.objects.get(offering=o["offering"])
    assert isd.title == "Guided reading"
    page = teacher.get(url("isd-request-detail", isd))
    assert o["offering"].get_absolute_url() in page.content.decode()
    # Choosing "catalogue offering" without one is a clear error, not a 500.
    missing = teacher.post(url("isd-request-create"), request_data(o, kind="offering"))
    assert missing.status_code == 400 and "Choose the catalogue offering" in text(missing)

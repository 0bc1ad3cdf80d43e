"""External hours: entry, the supervisor's decision, return and resubmission, withdrawal,
who may do what, and the evidence file (sniffed by content, at most 10 MB)."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cadre.audit.models import AuditEvent
from cadre.catalog.models import Category, ExternalHours
from cadre.catalog.services import transcript as services
from cadre.core.attachments import MAX_BYTES
from cadre.core.errors import Conflict, DomainError
from cadre.districts import access
from cadre.districts.access import actor_for
from cadre.districts.factories import AssignmentFactory, SchoolFactory, staff_with_role
from cadre.districts.models import Assignment, Role

pytestmark = pytest.mark.django_db
D = Decimal
Status = ExternalHours.Status
PDF = b"%PDF-1.4 certificate"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 16


def data(o, **extra):
    return {
        "title": "State literacy conference",
        "provider": "WSRA",
        "completed_on": o["year"].start_date + timedelta(days=10),
        "hours": D("6.5"),
        "category": Category.EQUITY,
        "evidence": "Certificate 991",
        **extra,
    }


def enter(o, staff=None, upload=None, **extra) -> ExternalHours:
    staff = staff or o["teacher"]
    return services.external_hours_create(
        staff=staff, actor=staff.user, data=data(o, **extra), upload=upload
    )


def events(entry) -> list[tuple[str, str, str]]:
    return list(
        AuditEvent.objects.filter(object_type="catalog.externalhours", object_id=str(entry.pk))
        .order_by("at", "id")
        .values_list("action", "from_state", "to_state")
    )


def test_entered_hours_are_submitted_to_the_authors_principal_for_the_year_of_their_date(o):
    entry = enter(o)
    assert entry.status == Status.SUBMITTED and entry.submitted_at is not None
    assert entry.school == o["school"] and entry.program is None
    assert entry.school_year == o["year"] and entry.hours == D("6.50")
    assert entry.category == Category.EQUITY and not entry.file
    assert events(entry) == [("create", "", "")]


def test_program_staff_go_to_their_director(o):
    entry = enter(o, staff=o["program_teacher"])
    assert entry.school is None and entry.program == o["program"]
    director = actor_for(o["director"].user)
    assert access.can(director, "approve", entry)
    principal = actor_for(o["principal"].user)
    assert not access.visible(principal, ExternalHours).filter(pk=entry.pk).exists()


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"title": "  "}, "external_hours.title"),
        ({"evidence": ""}, "external_hours.evidence"),
        ({"hours": D("0")}, "external_hours.hours"),
        ({"hours": D("-2")}, "external_hours.hours"),
        ({"hours": D("1.234")}, "external_hours.hours"),
        ({"hours": D("10000")}, "external_hours.hours"),
        ({"hours": "lots"}, "external_hours.hours"),
        ({"category": "art"}, "external_hours.category"),
        ({"completed_on": None}, "external_hours.date"),
        ({"completed_on": date(1990, 1, 1)}, "growth.no_school_year"),
    ],
)
def test_bad_entries_are_refused_with_a_code(o, change, code):
    with pytest.raises(DomainError) as caught:
        enter(o, **change)
    assert caught.value.code == code
    assert not ExternalHours.objects.filter(title="State literacy conference").exists()


def test_learning_still_to_come_is_refused(o, world):
    with pytest.raises(DomainError) as caught:
        enter(o, completed_on=world.a.today() + timedelta(days=1))
    assert caught.value.code == "external_hours.future"


def test_the_file_is_kept_by_what_it_is_not_by_its_name(o):
    entry = enter(o, upload=SimpleUploadedFile("scan.pdf", PNG, "application/pdf"))
    assert entry.file_type == "image/png"
    assert entry.file.name.endswith("scan.png")
    with entry.file.open("rb") as handle:
        assert handle.read() == PNG


@pytest.mark.parametrize(
    ("upload", "code"),
    [
        (SimpleUploadedFile("notes.pdf", b"<script>alert(1)</script>", "application/pdf"), "type"),
        (SimpleUploadedFile("big.pdf", PDF + b"0" * MAX_BYTES), "too_big"),
    ],
)
def test_a_file_that_is_not_a_pdf_png_or_jpeg_or_is_too_big_is_refused(o, upload, code):
    with pytest.raises(DomainError) as caught:
        enter(o, upload=upload)
    assert caught.value.code == f"attachment.{code}" and caught.value.field == "file"
    assert not ExternalHours.objects.filter(title="State literacy conference").exists()


def test_a_file_of_exactly_ten_megabytes_is_taken(o):
    upload = SimpleUploadedFile("big.pdf", PDF + b"0" * (MAX_BYTES - len(PDF)))
    assert enter(o, upload=upload).file_type == "application/pdf"


def test_the_principal_approves(o):
    entry = enter(o)
    principal = o["principal"].user
    assert access.can(actor_for(principal), "approve", entry)
    entry = services.external_hours_approve(entry=entry, actor=principal)
    assert entry.status == Status.APPROVED and entry.decided_by == principal
    assert entry.decided_at is not None
    assert events(entry)[-1] == ("transition", "submitted", "approved")
    with pytest.raises(Conflict) as caught:
        services.external_hours_approve(entry=entry, actor=principal)
    assert caught.value.code == "external_hours.not_submitted"


def test_returned_hours_are_corrected_and_resubmitted_then_approved(o):
    entry = enter(o)
    principal = o["principal"].user
    with pytest.raises(DomainError) as caught:
        services.external_hours_return(entry=entry, actor=principal, comment=" ")
    assert caught.value.code == "external_hours.comment"
    entry = services.external_hours_return(
        entry=entry, actor=principal, comment="The agenda shows 5 hours."
    )
    assert entry.status == Status.RETURNED and entry.comment == "The agenda shows 5 hours."
    teacher = o["teacher"].user
    entry = services.external_hours_update(entry=entry, actor=teacher, data={"hours": D("5")})
    assert entry.hours == D("5.00") and entry.status == Status.RETURNED
    update = AuditEvent.objects.filter(
        object_id=str(entry.pk), object_type="catalog.externalhours", action="update"
    ).get()
    assert update.changes == {"hours": ["6.50", "5.00"]}
    entry = services.external_hours_submit(entry=entry, actor=teacher)
    assert entry.status == Status.SUBMITTED and entry.decided_by is None
    entry = services.external_hours_approve(entry=entry, actor=principal)
    assert entry.status == Status.APPROVED and entry.comment == ""
    assert [e[1:] for e in events(entry) if e[0] == "transition"] == [
        ("submitted", "returned"),
        ("returned", "submitted"),
        ("submitted", "approved"),
    ]


def test_the_author_withdraws_a_submitted_entry_and_may_send_it_again(o):
    entry = enter(o)
    teacher = o["teacher"].user
    entry = services.external_hours_withdraw(entry=entry, actor=teacher)
    assert entry.status == Status.WITHDRAWN
    with pytest.raises(Conflict):
        services.external_hours_withdraw(entry=entry, actor=teacher)
    with pytest.raises(Conflict):
        services.external_hours_approve(entry=entry, actor=o["principal"].user)
    entry = services.external_hours_update(
        entry=entry, actor=teacher, data={"completed_on": o["year"].start_date}
    )
    entry = services.external_hours_submit(entry=entry, actor=teacher)
    assert entry.status == Status.SUBMITTED


def test_a_submitted_or_approved_entry_is_not_changed(o):
    entry = enter(o)
    teacher = o["teacher"].user
    with pytest.raises(Conflict) as caught:
        services.external_hours_update(entry=entry, actor=teacher, data={"hours": D("1")})
    assert caught.value.code == "external_hours.not_editable"
    with pytest.raises(Conflict):
        services.external_hours_submit(entry=entry, actor=teacher)
    entry = services.external_hours_approve(entry=entry, actor=o["principal"].user)
    with pytest.raises(Conflict):
        services.external_hours_update(entry=entry, actor=teacher, data={"hours": D("1")})
    with pytest.raises(Conflict):
        services.external_hours_withdraw(entry=entry, actor=teacher)
    assert ExternalHours.objects.get(pk=entry.pk).hours == D("6.50")


def test_the_wrong_person_is_refused(o, world):
    entry = enter(o)
    teacher, principal = actor_for(o["teacher"].user), actor_for(o["principal"].user)
    director, admin = actor_for(o["director"].user), actor_for(o["admin"].user)
    outsider = actor_for(world.b_objects["admin"].user)
    assert not access.can(teacher, "approve", entry) and not access.can(teacher, "return", entry)
    assert access.can(teacher, "withdraw", entry) and access.can(teacher, "change", entry)
    assert not access.can(principal, "withdraw", entry)
    assert not access.can(principal, "change", entry)
    assert not access.visible(director, ExternalHours).filter(pk=entry.pk).exists()
    colleague = actor_for(o["other_teacher"].user)
    assert not access.visible(colleague, ExternalHours).filter(pk=entry.pk).exists()
    assert access.can(admin, "approve", entry)
    assert not access.visible(outsider, ExternalHours).filter(pk=entry.pk).exists()
    assert not access.can(outsider, "approve", entry)
    # The services refuse too, whoever calls them.
    with pytest.raises(DomainError) as caught:
        services.external_hours_approve(entry=entry, actor=o["teacher"].user)
    assert caught.value.code == "external_hours.own"
    with pytest.raises(DomainError) as caught:
        services.external_hours_withdraw(entry=entry, actor=o["principal"].user)
    assert caught.value.code == "external_hours.not_author"
    returned = services.external_hours_return(entry=entry, actor=o["admin"].user, comment="Date?")
    with pytest.raises(DomainError) as caught:
        services.external_hours_update(
            entry=returned, actor=o["principal"].user, data={"hours": D("1")}
        )
    assert caught.value.code == "external_hours.not_author"
    assert ExternalHours.objects.get(pk=entry.pk).status == Status.RETURNED


def test_a_principals_own_hours_go_to_an_administrator_not_to_themself(o):
    entry = enter(o, staff=o["principal"])
    principal = actor_for(o["principal"].user)
    assert not access.can(principal, "approve", entry)
    with pytest.raises(DomainError):
        services.external_hours_return(entry=entry, actor=o["principal"].user, comment="No")
    assert access.can(actor_for(o["admin"].user), "approve", entry)


def test_an_assistant_principal_never_decides_for_a_leader_of_their_school(o, world):
    world.a.assistant_principals_approve = True
    world.a.save()
    ap = staff_with_role(Role.ASSISTANT_PRINCIPAL, school=o["school"])
    entry = enter(o, staff=o["principal"])
    assert not access.can(actor_for(ap.user), "approve", entry)
    assert access.can(actor_for(ap.user), "approve", enter(o))


def test_a_new_file_replaces_the_old_and_remove_file_drops_it(o):
    teacher = o["teacher"].user
    entry = enter(o, upload=SimpleUploadedFile("cert.pdf", PDF))
    entry = services.external_hours_return(entry=entry, actor=o["principal"].user, comment="x")
    entry = services.external_hours_update(
        entry=entry, actor=teacher, data={}, upload=SimpleUploadedFile("cert2.png", PNG)
    )
    assert entry.file_type == "image/png" and entry.file.name.endswith(".png")
    changes = (
        AuditEvent.objects.filter(object_id=str(entry.pk), object_type="catalog.externalhours")
        .filter(action="update")
        .get()
        .changes
    )
    assert list(changes) == ["file"] and changes["file"][1].endswith(".png")
    with pytest.raises(DomainError):
        services.external_hours_update(
            entry=entry, actor=teacher, data={}, upload=SimpleUploadedFile("x.pdf", b"plain text")
        )
    assert ExternalHours.objects.get(pk=entry.pk).file_type == "image/png"
    entry = services.external_hours_update(entry=entry, actor=teacher, data={}, remove_file=True)
    fresh = ExternalHours.objects.get(pk=entry.pk)
    assert not fresh.file and fresh.file_type == ""


def test_resubmission_goes_to_the_supervisor_of_today(o, world):
    entry = enter(o)
    entry = services.external_hours_withdraw(entry=entry, actor=o["teacher"].user)
    Assignment.objects.filter(staff=o["teacher"]).update(
        end_date=world.a.today() - timedelta(days=1)
    )
    new_school = SchoolFactory(district=world.a)
    AssignmentFactory(staff=o["teacher"], role=Role.TEACHER, school=new_school)
    entry = services.external_hours_submit(entry=entry, actor=o["teacher"].user)
    assert entry.school == new_school
    assert not access.can(actor_for(o["principal"].user), "approve", entry)

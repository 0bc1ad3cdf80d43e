from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from cadre.core.errors import DomainError
from cadre.core.views import (
    actor_required,
    form_error,
    paginate,
    parse_bool,
    parse_int,
    parse_text,
    save_form,
    transition,
)
from cadre.districts import access, selectors, services
from cadre.districts.forms import (
    ROLE_CHOICES,
    AssignmentForm,
    DistrictSettingsForm,
    ImportForm,
    ProgramForm,
    SchoolForm,
    SchoolYearForm,
    StaffDataForm,
    StaffForm,
)
from cadre.districts.homes import home_context
from cadre.districts.models import (
    Assignment,
    District,
    ImportRun,
    Program,
    School,
    SchoolYear,
    Staff,
)
from cadre.districts.tasks import import_run_start


def _results_only(request) -> bool:
    """htmx live search swaps only the results region."""
    return bool(request.htmx) and request.htmx.target == "results"


@actor_required
def home(request):
    return render(request, "districts/home.html", home_context(request.actor))


# --- district settings ---------------------------------------------------------------------


@actor_required
def district_settings(request):
    actor = request.actor
    district = District.objects.get(pk=actor.district.pk)
    access.require(actor, "change", district)
    # The form edits its own copy: the service compares against the stored values.
    form = DistrictSettingsForm(request.POST or None, instance=District.objects.get(pk=district.pk))
    if request.method == "POST" and form.is_valid():
        services.district_update(district=district, actor=request.user, data=form.cleaned_data)
        messages.success(request, "Saved the district settings.")
        return redirect("district-settings")
    return render(
        request,
        "districts/form.html",
        {"form": form, "title": "District settings", "cancel": "/"},
        status=400 if request.method == "POST" else 200,
    )


# --- schools -------------------------------------------------------------------------------


@actor_required
def school_list(request):
    actor = request.actor
    access.require(actor, "list", School)
    qs = selectors.school_list(
        actor, q=parse_text(request.GET.get("q")), active=parse_bool(request.GET.get("active", "1"))
    )
    template = (
        "districts/_school_rows.html" if _results_only(request) else "districts/school_list.html"
    )
    return render(
        request,
        template,
        {"page": paginate(request, qs), "can_create": access.can(actor, "create", School)},
    )


@actor_required
def school_detail(request, pk: int):
    actor = request.actor
    school = access.get_visible_or_404(actor, School, pk=pk)
    staff = (
        selectors.staff_list(actor, school=school.pk)
        if access.can(actor, "list", Staff)
        else Staff.objects.none()
    )
    return render(
        request,
        "districts/school_detail.html",
        {
            "school": school,
            "page": paginate(request, staff),
            "programs": school.programs.filter(is_active=True),
            "can_change": access.can(actor, "change", school),
        },
    )


@actor_required
def school_create(request):
    actor = request.actor
    access.require(actor, "create", School)
    return save_form(
        request,
        SchoolForm(request.POST or None),
        lambda data: services.school_create(district=actor.district, actor=request.user, data=data),
        title="New school",
        cancel="/schools/",
    )


@actor_required
def school_edit(request, pk: int):
    actor = request.actor
    school = access.get_visible_or_404(actor, School, pk=pk)
    access.require(actor, "change", school)
    return save_form(
        request,
        SchoolForm(request.POST or None, instance=School.objects.get(pk=pk)),
        lambda data: services.school_update(school=school, actor=request.user, data=data),
        title=f"Edit {school}",
        cancel=school.get_absolute_url(),
    )


# --- programs ------------------------------------------------------------------------------


@actor_required
def program_list(request):
    actor = request.actor
    access.require(actor, "list", Program)
    qs = selectors.program_list(
        actor, q=parse_text(request.GET.get("q")), active=parse_bool(request.GET.get("active", "1"))
    )
    return render(
        request,
        "districts/program_list.html",
        {"page": paginate(request, qs), "can_create": access.can(actor, "create", Program)},
    )


@actor_required
def program_detail(request, pk: int):
    actor = request.actor
    program = access.get_visible_or_404(actor, Program.objects.prefetch_related("schools"), pk=pk)
    staff = (
        selectors.staff_list(actor, program=program.pk)
        if access.can(actor, "list", Staff)
        else Staff.objects.none()
    )
    return render(
        request,
        "districts/program_detail.html",
        {
            "program": program,
            "page": paginate(request, staff),
            "can_change": access.can(actor, "change", program),
        },
    )


@actor_required
def program_create(request):
    actor = request.actor
    access.require(actor, "create", Program)
    return save_form(
        request,
        ProgramForm(request.POST or None, district=actor.district),
        lambda data: services.program_create(
            district=actor.district, actor=request.user, data=data
        ),
        title="New program",
        cancel="/programs/",
    )


@actor_required
def program_edit(request, pk: int):
    actor = request.actor
    program = access.get_visible_or_404(actor, Program, pk=pk)
    access.require(actor, "change", program)
    form = ProgramForm(
        request.POST or None, instance=Program.objects.get(pk=pk), district=actor.district
    )
    return save_form(
        request,
        form,
        lambda data: services.program_update(program=program, actor=request.user, data=data),
        title=f"Edit {program}",
        cancel=program.get_absolute_url(),
    )


# --- school years --------------------------------------------------------------------------


@actor_required
def school_year_list(request):
    actor = request.actor
    access.require(actor, "list", SchoolYear)
    return render(
        request,
        "districts/school_year_list.html",
        {
            "years": selectors.school_year_list(actor),
            "can_create": access.can(actor, "create", SchoolYear),
        },
    )


@actor_required
def school_year_create(request):
    actor = request.actor
    access.require(actor, "create", SchoolYear)
    return save_form(
        request,
        SchoolYearForm(request.POST or None),
        lambda data: services.school_year_create(
            district=actor.district, actor=request.user, data=data
        ),
        title="New school year",
        cancel="/school-years/",
    )


@actor_required
def school_year_edit(request, pk: int):
    actor = request.actor
    year = access.get_visible_or_404(actor, SchoolYear, pk=pk)
    access.require(actor, "change", year)
    return save_form(
        request,
        SchoolYearForm(request.POST or None, instance=SchoolYear.objects.get(pk=pk)),
        lambda data: services.school_year_update(school_year=year, actor=request.user, data=data),
        title=f"Edit {year}",
        cancel="/school-years/",
    )


@require_POST
@actor_required
def school_year_make_current(request, pk: int):
    actor = request.actor
    year = access.get_visible_or_404(actor, SchoolYear, pk=pk)
    access.require(actor, "change", year)
    return transition(
        request,
        lambda: services.school_year_make_current(school_year=year, actor=request.user),
        year,
        done=f"{year} is now the current school year.",
    )


# --- staff ---------------------------------------------------------------------------------


def _staff_filters(request) -> dict:
    get = request.GET
    return {
        "q": parse_text(get.get("q")),
        "school": parse_int(get.get("school")),
        "program": parse_int(get.get("program")),
        "role": get.get("role", "") if get.get("role") in dict(ROLE_CHOICES) else "",
        "active": parse_bool(get.get("active", "1")),
        # One "experience" choice; `new_teacher` is what older links say.
        "new_teacher": EXPERIENCE.get(get.get("experience"), parse_bool(get.get("new_teacher"))),
        "experience_unknown": get.get("experience") == "unknown",
    }


EXPERIENCE = {"new": True, "not_new": False}


@actor_required
def staff_list(request):
    actor = request.actor
    access.require(actor, "list", Staff)
    filters = _staff_filters(request)
    page = paginate(request, selectors.staff_list(actor, **filters))
    if _results_only(request):
        return render(request, "districts/_staff_rows.html", {"page": page})
    return render(
        request,
        "districts/staff_list.html",
        {
            "page": page,
            "filters": filters,
            "roles": ROLE_CHOICES,
            # A school leader filters by the schools they lead, even once inactive; an
            # administrator or a program director by every active school.
            "schools": access.units(actor, active=None).schools
            if actor.is_school_leader and not actor.is_district_admin
            else selectors.school_list(actor, active=True),
            "programs": selectors.program_list(actor),
            "can_create": access.can(actor, "create", Staff),
        },
    )


@actor_required
def staff_detail(request, pk: int):
    actor = request.actor
    staff = selectors.staff_detail(actor, pk)
    return render(
        request,
        "districts/staff_detail.html",
        {
            "person": staff,
            "is_self": staff.pk == actor.staff.pk,
            "can_change": access.can(actor, "change", staff),
            "can_deactivate": access.can(actor, "deactivate", staff),
            "can_assign": access.can(actor, "create", Assignment),
        },
    )


@actor_required
def staff_create(request):
    actor = request.actor
    access.require(actor, "create", Staff)
    return save_form(
        request,
        StaffForm(request.POST or None),
        lambda data: services.staff_create(district=actor.district, actor=request.user, data=data),
        title="New staff member",
        cancel="/staff/",
    )


@actor_required
def staff_edit(request, pk: int):
    actor = request.actor
    staff = access.get_visible_or_404(actor, Staff, pk=pk)
    access.require(actor, "change", staff)
    return save_form(
        request,
        StaffForm(request.POST or None, instance=Staff.objects.get(pk=pk)),
        lambda data: services.staff_update(staff=staff, actor=request.user, data=data),
        title=f"Edit {staff}",
        cancel=staff.get_absolute_url(),
    )


@require_POST
@actor_required
def staff_deactivate(request, pk: int):
    actor = request.actor
    staff = access.get_visible_or_404(actor, Staff, pk=pk)
    access.require(actor, "deactivate", staff)
    reason = request.POST.get("reason", "").strip()
    return transition(
        request,
        lambda: services.staff_deactivate(staff=staff, actor=request.user, reason=reason),
        staff,
        done=f"{staff} is deactivated and can no longer sign in.",
    )


@require_POST
@actor_required
def staff_reactivate(request, pk: int):
    actor = request.actor
    staff = access.get_visible_or_404(actor, Staff, pk=pk)
    access.require(actor, "deactivate", staff)
    return transition(
        request,
        lambda: services.staff_reactivate(staff=staff, actor=request.user),
        staff,
        done=f"{staff} is active again.",
    )


# --- assignments ---------------------------------------------------------------------------


@actor_required
def assignment_list(request):
    actor = request.actor
    access.require(actor, "list", Assignment)
    get = request.GET
    qs = selectors.assignment_list(
        actor,
        q=parse_text(get.get("q")),
        staff=parse_int(get.get("staff")),
        school=parse_int(get.get("school")),
        program=parse_int(get.get("program")),
        role=get.get("role", "") if get.get("role") in dict(ROLE_CHOICES) else "",
        current=parse_bool(get.get("current", "1")),
    )
    return render(
        request,
        "districts/assignment_list.html",
        {
            "page": paginate(request, qs),
            "roles": ROLE_CHOICES,
            "schools": selectors.school_list(actor, active=None),
            "programs": selectors.program_list(actor, active=None),
            "can_create": access.can(actor, "create", Assignment),
        },
    )


@actor_required
def assignment_create(request):
    actor = request.actor
    access.require(actor, "create", Assignment)
    initial = {}
    staff_id = parse_int(request.GET.get("staff"))
    if staff_id:
        initial["staff"] = access.get_visible_or_404(actor, Staff, pk=staff_id)
    form = AssignmentForm(request.POST or None, initial=initial, district=actor.district)
    return save_form(
        request,
        form,
        lambda data: services.assignment_create(
            district=actor.district, actor=request.user, data=data
        ),
        title="New assignment",
        cancel="/assignments/",
    )


@actor_required
def assignment_edit(request, pk: int):
    actor = request.actor
    assignment = access.get_visible_or_404(actor, Assignment.objects.select_related("staff"), pk=pk)
    access.require(actor, "change", assignment)
    form = AssignmentForm(
        request.POST or None, instance=Assignment.objects.get(pk=pk), district=actor.district
    )
    return save_form(
        request,
        form,
        lambda data: services.assignment_update(
            assignment=assignment, actor=request.user, data=data
        ),
        title=f"Edit assignment: {assignment.staff}",
        cancel=assignment.get_absolute_url(),
    )


@require_POST
@actor_required
def assignment_end(request, pk: int):
    actor = request.actor
    assignment = access.get_visible_or_404(actor, Assignment.objects.select_related("staff"), pk=pk)
    access.require(actor, "change", assignment)
    return transition(
        request,
        lambda: services.assignment_end(assignment=assignment, actor=request.user, on=actor.today),
        assignment,
        done="The assignment ends today.",
    )


# --- OneRoster import ----------------------------------------------------------------------


@actor_required
def import_list(request):
    actor = request.actor
    access.require(actor, "list", ImportRun)
    runs = access.visible(actor, ImportRun).select_related("uploaded_by")
    return render(request, "districts/import_list.html", {"page": paginate(request, runs)})


def _upload(request, form_class, kind: str, template: str):
    actor = request.actor
    access.require(actor, "create", ImportRun)
    form = form_class(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            run = import_run_start(
                district=actor.district,
                user=request.user,
                uploaded_file=form.cleaned_data["file"],
                dry_run=form.cleaned_data["dry_run"],
                kind=kind,
                options=form.options(),
            )
        except DomainError as exc:
            form_error(form, exc)
        else:
            return redirect(run.get_absolute_url())
    return render(
        request, template, {"form": form}, status=400 if request.method == "POST" else 200
    )


@actor_required
def import_create(request):
    return _upload(request, ImportForm, ImportRun.Kind.ROSTER, "districts/import_form.html")


@actor_required
def staff_data_create(request):
    return _upload(
        request, StaffDataForm, ImportRun.Kind.STAFF_DATA, "districts/staff_data_form.html"
    )


@actor_required
def import_detail(request, pk: int):
    run = access.get_visible_or_404(
        request.actor, ImportRun.objects.select_related("uploaded_by"), pk=pk
    )
    template = "districts/_import_status.html" if request.htmx else "districts/import_detail.html"
    return render(request, template, {"run": run})

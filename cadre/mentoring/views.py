"""Mentor-programme pages. Views parse, ask access, call a service or selector, and render. A
refusal shows inline on its form (400), or, when the record's state forbids the step, as a
message on the record's page."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from cadre.catalog.models import Offering
from cadre.core.errors import DomainError
from cadre.core.views import (
    act,
    actor_required,
    paginate,
    parse_bool,
    parse_choice,
    parse_int,
    parse_text,
    refused,
    save_form,
    transition,
)
from cadre.districts import access
from cadre.growth.selectors import history
from cadre.growth.services import home_unit
from cadre.mentoring import report as reporting
from cadre.mentoring import rules, selectors, services
from cadre.mentoring.forms import (
    ConfirmForm,
    EndForm,
    ExtendForm,
    ItemForm,
    LogForm,
    MentorEditForm,
    MentorForm,
    ProposeForm,
    ReflectForm,
    TaskForm,
    TrainingForm,
    support_sources,
)
from cadre.mentoring.models import (
    ExtendedSupport,
    Match,
    Mentor,
    OnboardingChecklist,
    OnboardingItem,
    OnboardingTask,
    Training,
)

MatchStatus = Match.Status
STATES = [
    ("unmatched", "Without a mentor"),
    ("overdue", "Past the deadline without an active mentor"),
    ("proposed", "Proposed"),
    ("active", "Active"),
]


def _year(request):
    """The school year the page shows (?year=), else the current one; None if none exists."""
    actor = request.actor
    years = selectors.school_years(actor)
    return years, selectors.pick_year(actor, years, parse_int(request.GET.get("year")))


# --- home and people -----------------------------------------------------------------------


@actor_required
def home(request):
    actor = request.actor
    years, year = _year(request)
    context = {"year": year, "years": years, "follows": access.can(actor, "follow", Match)}
    if year is not None:
        mine = list(
            selectors.matches(actor, year=year)
            .filter(rules.pair_q(actor))
            .exclude(status=MatchStatus.ENDED)
        )
        context["mentoring"] = selectors.with_cadence(
            actor, [m for m in mine if m.mentor.staff_id == actor.staff.pk]
        )
        context["mentored"] = selectors.with_cadence(
            actor, [m for m in mine if m.mentee_id == actor.staff.pk]
        )
        if context["mentored"]:
            context["training"] = selectors.training_progress(actor.staff)
            context["checklist"] = (
                selectors.checklists(actor, year=year).filter(staff=actor.staff).first()
            )
        if context["follows"]:
            proposed = selectors.matches(actor, year=year, status=MatchStatus.PROPOSED)
            context |= {
                "alerts": selectors.alerts(actor, year),
                "people_count": selectors.people(actor, year).count(),
                "active_count": selectors.matches(
                    actor, year=year, status=MatchStatus.ACTIVE
                ).count(),
                "proposed": list(proposed[:20]),
                "unknown_experience": selectors.unknown_experience(actor),
            }
    context["coordinates"] = access.can(actor, "coordinate", Match)
    context["is_mentor"] = Mentor.objects.filter(staff=actor.staff, is_active=True).exists()
    if not (context["is_mentor"] or context.get("mentored") or context["follows"]):
        context["mentor_training"] = selectors.trainings(actor).filter(kind=Training.Kind.MENTOR)
    return render(request, "mentoring/home.html", context)


@actor_required
def people(request):
    actor = request.actor
    access.require(actor, "follow", Match)
    years, year = _year(request)
    get = request.GET
    state = parse_choice(get.get("state"), STATES)
    school = parse_int(get.get("school"))
    q = parse_text(get.get("q"), 100)
    page = paginate(
        request, selectors.people(actor, year, school=school, state=state, q=q) if year else []
    )
    page.rows = selectors.describe(actor, year, list(page.object_list)) if year else []
    schools = access.units(actor, every=access.can(actor, "coordinate", Match)).schools
    return render(
        request,
        "mentoring/people.html",
        {
            "year": year,
            "years": years,
            "page": page,
            "states": STATES,
            "state": state,
            "school": school,
            "schools": schools,
            "q": q,
            "deadline": actor.district.mentor_match_days,
            "unknown_experience": selectors.unknown_experience(actor),
        },
    )


def _person_page(request, staff, *, status: int = 200):
    actor = request.actor
    years, year = _year(request)
    extended = services.extended_for(staff, year) if year else None
    school, _ = home_unit(staff, actor.today)
    probe = Match(district=actor.district, school=school)
    can_propose = access.can(actor, "create", probe) and staff.pk != actor.staff.pk
    found = services.eligibility(staff, extended=extended)
    person_matches = list(selectors.matches(actor).filter(mentee=staff))
    checklist = selectors.checklists(actor, year=year).filter(staff=staff).first() if year else None
    open_match = any(m.status in selectors.OPEN for m in person_matches if m.school_year == year)
    context = {
        "staff": staff,
        "year": year,
        "years": years,
        "school": school,
        "eligibility": found,
        "extended": extended,
        "matches": selectors.with_cadence(actor, person_matches),
        "training": selectors.training_progress(staff),
        "checklist": checklist,
        "can_propose": can_propose and found.eligible and not open_match and year is not None,
        "suggestions": selectors.suggestions(actor, staff)
        if can_propose and found.eligible
        else [],
        "can_extend": year is not None
        and extended is None
        and not staff.is_new_teacher
        and access.can(actor, "create", ExtendedSupport),
        "can_revoke": extended is not None and access.can(actor, "delete", extended),
        "can_open_checklist": year is not None
        and checklist is None
        and found.eligible
        and access.can(
            actor, "create", OnboardingChecklist(district=actor.district, school=school)
        ),
        "is_mentor": Mentor.objects.filter(staff=staff).first(),
    }
    return render(request, "mentoring/person.html", context, status=status)


@actor_required
def person(request, pk: int):
    return _person_page(request, selectors.person(request.actor, pk))


@actor_required
def extend(request, pk: int):
    actor = request.actor
    staff = selectors.person(actor, pk)
    access.require(actor, "create", ExtendedSupport)
    form = ExtendForm(request.POST or None, sources=support_sources(actor.district))

    def save(data):
        return services.extended_support_grant(
            district=actor.district,
            actor=request.user,
            staff=staff,
            reason=data["reason"],
            source=data["source"],
        )

    return save_form(
        request,
        form,
        save,
        title=f"Extend mentoring support to {staff.full_name}",
        cancel=reverse("mentoring-person", args=[staff.pk]),
        template="growth/form.html",
    )


@require_POST
@actor_required
def extend_revoke(request, pk: int):
    actor = request.actor
    grant = access.get_visible_or_404(actor, ExtendedSupport.objects.select_related("staff"), pk=pk)
    access.require(actor, "delete", grant)
    return transition(
        request,
        lambda: services.extended_support_revoke(grant=grant, actor=request.user),
        done=f"Extended support for {grant.staff.full_name} withdrawn.",
        to=reverse("mentoring-person", args=[grant.staff_id]),
    )


@actor_required
def propose(request, pk: int):
    actor = request.actor
    staff = selectors.person(actor, pk)
    school, _ = home_unit(staff, actor.today)
    access.require(actor, "create", Match(district=actor.district, school=school))
    mentors = Mentor.objects.filter(
        district=actor.district, is_active=True, staff__is_active=True
    ).select_related("staff")
    initial = {"mentor": parse_int(request.GET.get("mentor"))}
    form = ProposeForm(
        request.POST or None,
        initial=initial,
        mentors=mentors,
        sources=support_sources(actor.district),
    )

    def save(data):
        return services.match_propose(
            district=actor.district,
            actor=request.user,
            mentor=data["mentor"],
            mentee=staff,
            note=data["note"],
            source=data["source"],
        )

    return save_form(
        request,
        form,
        save,
        title=f"Propose a mentor for {staff.full_name}",
        cancel=reverse("mentoring-person", args=[staff.pk]),
        template="mentoring/propose.html",
        extra={"staff": staff, "suggestions": selectors.suggestions(actor, staff)},
    )


@require_POST
@actor_required
def onboarding_open(request, pk: int):
    actor = request.actor
    staff = selectors.person(actor, pk)
    school, _ = home_unit(staff, actor.today)
    access.require(actor, "create", OnboardingChecklist(district=actor.district, school=school))
    try:
        checklist = services.checklist_open(
            district=actor.district, actor=request.user, staff=staff
        )
    except DomainError as exc:
        messages.error(request, refused(exc))
        return redirect("mentoring-person", staff.pk)
    messages.success(request, f"Onboarding checklist opened for {staff.full_name}.")
    return redirect(checklist.get_absolute_url())


# --- mentors -------------------------------------------------------------------------------


@actor_required
def mentor_list(request):
    actor = request.actor
    access.require(actor, "list", Mentor)
    available = parse_bool(request.GET.get("available"))
    q = parse_text(request.GET.get("q"), 100)
    return render(
        request,
        "mentoring/mentor_list.html",
        {
            "page": paginate(request, selectors.mentors(actor, available=available, q=q)),
            "available": available,
            "q": q,
            "can_create": access.can(actor, "create", Mentor),
            "can_change": access.can(actor, "change", Mentor(district=actor.district)),
            "candidates": selectors.mentor_candidates(actor).count()
            if access.can(actor, "create", Mentor)
            else 0,
        },
    )


@actor_required
def mentor_create(request):
    actor = request.actor
    access.require(actor, "create", Mentor)
    form = MentorForm(
        request.POST or None,
        initial={"caseload_cap": actor.district.mentor_caseload, "is_available": True},
        candidates=selectors.mentor_candidates(actor),
    )

    def save(data):
        staff = data.pop("staff")
        return services.mentor_create(
            district=actor.district, actor=request.user, staff=staff, data=data
        )

    return save_form(
        request,
        form,
        save,
        title="Add a mentor",
        cancel=reverse("mentor-list"),
        template="growth/form.html",
    )


@actor_required
def mentor_edit(request, pk: int):
    actor = request.actor
    mentor = access.get_visible_or_404(actor, Mentor.objects.select_related("staff"), pk=pk)
    access.require(actor, "change", mentor)
    initial = {name: getattr(mentor, name) for name in services.MENTOR_FIELDS}
    form = MentorEditForm(request.POST or None, initial=initial)
    return save_form(
        request,
        form,
        lambda data: services.mentor_update(mentor=mentor, actor=request.user, data=data),
        title=f"Edit mentor {mentor.staff.full_name}",
        cancel=reverse("mentor-list"),
        template="growth/form.html",
    )


# --- matches -------------------------------------------------------------------------------


@actor_required
def match_list(request):
    actor = request.actor
    access.require(actor, "list", Match)
    years, year = _year(request)
    status = parse_choice(request.GET.get("status"), MatchStatus.choices)
    school = parse_int(request.GET.get("school"))
    page = paginate(request, selectors.matches(actor, year=year, status=status, school=school))
    page.rows = selectors.with_cadence(actor, list(page.object_list))
    return render(
        request,
        "mentoring/match_list.html",
        {
            "page": page,
            "year": year,
            "years": years,
            "status": status,
            "statuses": MatchStatus.choices,
            "school": school,
            # A leader's filter keeps the schools they lead even once inactive (past matches).
            "schools": access.units(actor, every=True).schools
            if access.can(actor, "coordinate", Match)
            else access.units(actor, active=None).schools,
        },
    )


def _match_page(request, match, *, confirm_form=None, end_form=None, status: int = 200):
    actor = request.actor
    sources = support_sources(actor.district)
    is_pair = match.mentor.staff_id == actor.staff.pk or match.mentee_id == actor.staff.pk
    is_open = match.status in selectors.OPEN
    can_stipend = match.status != MatchStatus.PROPOSED and access.can(actor, "stipend", match)
    today = actor.today
    context = {
        "match": match,
        "cadence": selectors.cadence(actor.district, [match], today)[match.pk],
        "is_pair": is_pair,
        "logs": selectors.logs(actor, match) if is_pair else [],
        "can_log": match.status == MatchStatus.ACTIVE and access.can(actor, "log", match),
        "can_confirm": match.status == MatchStatus.PROPOSED and access.can(actor, "confirm", match),
        "can_end": is_open and access.can(actor, "end", match),
        "can_stipend": can_stipend,
        "stipends": list(selectors.stipends(match)) if can_stipend else [],
        "confirm_form": confirm_form
        or ConfirmForm(
            sources=sources,
            initial={"source": match.source_id, "started_on": today},
            auto_id="confirm_%s",
        ),
        "end_form": end_form
        or EndForm(initial={"ended_on": today, "reason": "completed"}, auto_id="end_%s"),
        "events": history(match),
        "target": actor.district.mentor_weekly_minutes,
    }
    return render(request, "mentoring/match_detail.html", context, status=status)


@actor_required
def match_detail(request, pk: int):
    return _match_page(request, selectors.match_detail(request.actor, pk))


@require_POST
@actor_required
def match_confirm(request, pk: int):
    actor = request.actor
    match = selectors.match_detail(actor, pk)
    access.require(actor, "confirm", match)
    form = ConfirmForm(request.POST, sources=support_sources(actor.district), auto_id="confirm_%s")
    return act(
        request,
        match,
        form,
        lambda data: services.match_confirm(
            match=match, actor=request.user, source=data["source"], started_on=data["started_on"]
        ),
        done=f"{match.mentor} now mentors {match.mentee}.",
        page=lambda f: _match_page(request, match, confirm_form=f, status=400),
    )


@require_POST
@actor_required
def match_end(request, pk: int):
    actor = request.actor
    match = selectors.match_detail(actor, pk)
    access.require(actor, "end", match)
    form = EndForm(request.POST, auto_id="end_%s")
    return act(
        request,
        match,
        form,
        lambda data: services.match_end(
            match=match,
            actor=request.user,
            reason=data["reason"],
            note=data["note"],
            ended_on=data["ended_on"],
        ),
        done="The match has ended.",
        page=lambda f: _match_page(request, match, end_form=f, status=400),
    )


@require_POST
@actor_required
def match_stipends(request, pk: int):
    actor = request.actor
    match = selectors.match_detail(actor, pk)
    access.require(actor, "stipend", match)
    return transition(
        request,
        lambda: services.match_stipends(match=match, actor=request.user),
        match,
        done="Stipends proposed for the mentor and the new teacher; approve them under Stipends.",
    )


# --- logs ----------------------------------------------------------------------------------


@actor_required
def log_create(request, pk: int):
    actor = request.actor
    match = selectors.match_detail(actor, pk)
    access.require(actor, "log", match)
    if match.status != MatchStatus.ACTIVE:
        messages.error(request, "Contacts are logged while the match is active.")
        return redirect(match.get_absolute_url())
    form = LogForm(request.POST or None, initial={"met_on": actor.today, "kind": "planning"})
    return save_form(
        request,
        form,
        lambda data: services.log_create(match=match, actor=request.user, data=data),
        title=f"Log a contact with {match.mentee.full_name}",
        cancel=match.get_absolute_url(),
        template="growth/form.html",
    )


def _log_page(request, log, *, reflect_form=None, status: int = 200):
    actor = request.actor
    return render(
        request,
        "mentoring/log_detail.html",
        {
            "log": log,
            "match": log.match,
            "can_edit": access.can(actor, "change", log),
            "can_reflect": access.can(actor, "reflect", log),
            "reflect_form": reflect_form or ReflectForm(initial={"reflection": log.reflection}),
        },
        status=status,
    )


@actor_required
def log_detail(request, pk: int):
    return _log_page(request, selectors.log_detail(request.actor, pk))


@actor_required
def log_edit(request, pk: int):
    actor = request.actor
    log = selectors.log_detail(actor, pk)
    access.require(actor, "change", log)
    initial = {name: getattr(log, name) for name in services.LOG_FIELDS}
    return save_form(
        request,
        LogForm(request.POST or None, initial=initial),
        lambda data: services.log_update(log=log, actor=request.user, data=data),
        title=f"Edit the log of {log.met_on:%-d %B %Y}",
        cancel=log.get_absolute_url(),
        template="growth/form.html",
    )


@require_POST
@actor_required
def log_reflect(request, pk: int):
    actor = request.actor
    log = selectors.log_detail(actor, pk)
    access.require(actor, "reflect", log)
    return act(
        request,
        log,
        ReflectForm(request.POST),
        lambda data: services.log_reflect(
            log=log, actor=request.user, reflection=data["reflection"]
        ),
        done="Your reflection is saved.",
        page=lambda f: _log_page(request, log, reflect_form=f, status=400),
    )


# --- training ------------------------------------------------------------------------------


@actor_required
def training(request):
    actor = request.actor
    access.require(actor, "list", Training)
    can_create = access.can(actor, "create", Training)
    offerings = Offering.objects.filter(
        district=actor.district, status=Offering.Status.PUBLISHED
    ).order_by("title")
    form = TrainingForm(request.POST or None, offerings=offerings) if can_create else None
    if request.method == "POST":
        access.require(actor, "create", Training)
        if form.is_valid():
            try:
                services.training_add(
                    district=actor.district,
                    actor=request.user,
                    offering=form.cleaned_data["offering"],
                    kind=form.cleaned_data["kind"],
                )
            except DomainError as exc:
                form.add_error(None, refused(exc))
            else:
                messages.success(request, f"{form.cleaned_data['offering']} now counts.")
                return redirect("mentor-training")
    return render(
        request,
        "mentoring/training.html",
        {
            "trainings": selectors.trainings(actor),
            "form": form,
            "can_delete": access.can(actor, "delete", Training),
            "trained": selectors.trained_staff(actor).count(),
        },
        status=400 if request.method == "POST" else 200,
    )


@require_POST
@actor_required
def training_remove(request, pk: int):
    actor = request.actor
    item = access.get_visible_or_404(actor, Training.objects.select_related("offering"), pk=pk)
    access.require(actor, "delete", item)
    services.training_remove(training=item, actor=request.user)
    messages.success(request, f"{item.offering} no longer counts as {item.get_kind_display()}.")
    return redirect("mentor-training")


# --- onboarding ----------------------------------------------------------------------------


@actor_required
def onboarding_detail(request, pk: int):
    actor = request.actor
    checklist = selectors.checklist_detail(actor, pk)
    return render(
        request,
        "mentoring/onboarding_detail.html",
        {
            "checklist": checklist,
            "done": sum(1 for t in checklist.task_list if t.done_on),
            "can_change": access.can(actor, "change", checklist),
        },
    )


@require_POST
@actor_required
def onboarding_task(request, pk: int):
    actor = request.actor
    task = access.get_visible_or_404(
        actor, OnboardingTask.objects.select_related("checklist", "district"), pk=pk
    )
    access.require(actor, "change", task)
    form = TaskForm(request.POST)
    if form.is_valid():
        services.task_mark(
            task=task,
            actor=request.user,
            done=form.cleaned_data["done"],
            note=form.cleaned_data["note"],
        )
        messages.success(
            request, f"“{task.title}” is {'done' if form.cleaned_data['done'] else 'open'}."
        )
    else:
        messages.error(request, "The note is too long (500 characters at most).")
    return redirect(task.get_absolute_url())


@actor_required
def onboarding_items(request):
    actor = request.actor
    access.require(actor, "list", OnboardingItem)
    services.onboarding_items(actor.district)  # the defaults, the first time
    form = ItemForm(request.POST or None)
    if request.method == "POST":
        access.require(actor, "create", OnboardingItem)
        if form.is_valid():
            services.onboarding_item_create(
                district=actor.district, actor=request.user, data=form.cleaned_data
            )
            messages.success(request, "Step added.")
            return redirect("onboarding-items")
    return render(
        request,
        "mentoring/onboarding_items.html",
        {"items": OnboardingItem.objects.filter(district=actor.district), "form": form},
        status=400 if request.method == "POST" else 200,
    )


@actor_required
def onboarding_item_edit(request, pk: int):
    actor = request.actor
    item = access.get_visible_or_404(actor, OnboardingItem, pk=pk)
    access.require(actor, "change", item)
    form = ItemForm(request.POST or None, instance=OnboardingItem.objects.get(pk=item.pk))
    return save_form(
        request,
        form,
        lambda data: services.onboarding_item_update(item=item, actor=request.user, data=data),
        title=f"Edit the step “{item.title}”",
        cancel=reverse("onboarding-items"),
        template="growth/form.html",
    )


# --- the programme report ------------------------------------------------------------------


@actor_required
def report(request):
    actor = request.actor
    access.require(actor, "report", Match)
    years, year = _year(request)
    return render(
        request,
        "mentoring/report.html",
        {
            "year": year,
            "years": years,
            "report": reporting.build(actor, year) if year else None,
            "unknown_experience": selectors.unknown_experience(actor),
        },
    )

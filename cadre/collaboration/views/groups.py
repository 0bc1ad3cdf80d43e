"""Group pages: the list, creating and editing a group, its page with the stepper of the cycle
of inquiry, its members, joining and leaving, the stage, closing and reopening the cycle, the
effectiveness judgement and the evidence."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from cadre.collaboration import selectors
from cadre.collaboration.forms import (
    CloseForm,
    EvidenceForm,
    GroupForm,
    JudgeForm,
    MemberForm,
    ReopenForm,
    StageForm,
)
from cadre.collaboration.models import Group
from cadre.collaboration.services import evidence as evidence_services
from cadre.collaboration.services import groups as services
from cadre.collaboration.views.common import _closed, _years
from cadre.core.errors import DomainError
from cadre.core.views import (
    act,
    actor_required,
    form_error,
    paginate,
    parse_choice,
    parse_int,
    parse_text,
    refused,
    save_form,
    transition,
)
from cadre.districts import access
from cadre.districts.models import School, SchoolYear, Staff
from cadre.growth.selectors import history
from cadre.planning.models import Goal, StrategicPlan

Status = Group.Status
STATUSES = Status.choices


@actor_required
def group_list(request):
    actor = request.actor
    access.require(actor, "list", Group)
    get = request.GET
    years = selectors.school_years(actor)
    raw = get.get("year")
    year = None if raw == "all" else selectors.pick_year(actor, years, parse_int(raw))
    school = parse_int(get.get("school"))
    kind = parse_choice(get.get("kind"), Group.Kind.choices)
    status = parse_choice(get.get("status"), STATUSES)
    q = parse_text(get.get("q"), 100)
    page = paginate(
        request,
        selectors.groups(actor, year=year, school=school, kind=kind, status=status, q=q),
    )
    # Everyone else filters by the schools they lead or work in, even once inactive.
    schools = (
        access.units(actor).schools
        if actor.is_district_admin
        else access.units(actor, worked=True, active=None).schools
    )
    return render(
        request,
        "collaboration/group_list.html",
        {
            "page": page,
            "years": years,
            "year": year,
            "school": school,
            "schools": schools,
            "kind": kind,
            "kinds": Group.Kind.choices,
            "status": status,
            "statuses": STATUSES,
            "q": q,
            "can_create": access.can(actor, "create", Group),
            "follows": access.can(actor, "follow", Group),
        },
    )


def _group_form(request, *, group: Group | None = None, data=None, initial=None):
    actor = request.actor
    district = actor.district
    years = SchoolYear.objects.filter(district=district).order_by("-start_date")
    schools = selectors.creatable_schools(actor)
    if group is not None and group.school_id:
        schools = schools | School.objects.filter(pk=group.school_id)
    allowed = [s.pk for s in schools]
    if group is not None:
        year = group.school_year
    else:
        year = selectors.pick_year(actor, list(years), parse_int((data or {}).get("school_year")))
    goals = selectors.goal_choices(district, None, year) if year else Goal.objects.none()
    if not actor.is_district_admin:
        goals = goals.filter(plan__level=StrategicPlan.Level.DISTRICT) | goals.filter(
            plan__school_id__in=allowed
        )
    # Facilitators: a leader's or coach's own schools' people and district-wide staff; anyone
    # for an administrator, or for a cross-school group already running.
    everyone = actor.is_district_admin or (group is not None and group.school_id is None)
    staff = selectors.people(district) if everyone else selectors.people(district, schools=allowed)
    if group is not None:
        staff = staff | Staff.objects.filter(pk=group.facilitator_id)
    return GroupForm(
        data,
        initial=initial,
        schools=schools,
        years=years,
        goals=goals.distinct(),
        staff=staff.distinct(),
    )


@actor_required
def group_create(request):
    actor = request.actor
    access.require(actor, "create", Group)
    years, year = _years(request)
    form = _group_form(
        request,
        data=request.POST or None,
        initial={
            "school_year": year.pk if year else None,
            "support": Group.Support.LEADER,
            "meeting_minutes": 60,
            "kind": Group.Kind.PLC,
            "facilitator": actor.staff.pk,
        },
    )

    def save(data):
        goals = list(data.pop("goals"))
        probe = Group(district=actor.district, school=data["school"])
        if not access.can(actor, "create", probe):
            raise DomainError(
                "group.school_not_yours", "You may create groups at your schools.", field="school"
            )
        return services.group_create(
            district=actor.district, actor=request.user, data=data, goals=goals
        )

    return save_form(
        request,
        form,
        save,
        title="New group",
        cancel=reverse("group-list"),
        template="growth/form.html",
    )


def _stepper(group: Group) -> list[dict]:
    at = Group.Stage.values.index(group.stage)
    return [
        {"value": v, "label": label, "done": i < at, "current": i == at}
        for i, (v, label) in enumerate(Group.Stage.choices)
    ]


def _group_page(request, group: Group, *, status: int = 200, **given):
    actor = request.actor
    me = actor.staff.pk
    today = actor.today
    member_ids = {m.staff_id for m in group.member_list}
    is_member = me in member_ids
    is_open = group.status == Status.ACTIVE
    runs = access.can(actor, "change", group)
    hours = selectors.member_hours(group)
    context = {
        "group": group,
        "stepper": _stepper(group),
        "members": [(m, (hours or {}).get(m.staff_id)) for m in group.member_list],
        "hours_on": hours is not None,
        "meetings": group.meeting_list,
        "lessons": group.lesson_list,
        "check_ins": group.check_in_list,
        "evidence": selectors.evidence_figures(group, group.evidence_list),
        "min_group_size": actor.district.min_group_size,
        "is_open": is_open,
        "is_member": is_member,
        "can_change": is_open and runs,
        "can_record": is_open and runs,
        "can_add_lesson": is_open
        and group.kind == Group.Kind.LESSON_STUDY
        and access.can(actor, "add_lesson", group),
        "can_evidence": is_open and access.can(actor, "record_evidence", group),
        "can_check_in": is_open and access.can(actor, "check_in", group),
        "can_join": is_open and access.can(actor, "join", group),
        "can_leave": is_open and group.facilitator_id != me and access.can(actor, "leave", group),
        "can_judge": bool(group.evidence_list) and access.can(actor, "judge", group),
        "can_reopen": not is_open and runs,
        "check_in_status": selectors.status_of(
            group,
            max((c.held_on for c in group.check_in_list), default=None),
            actor.district,
            today,
        ),
        "stage_form": given.get("stage_form")
        or StageForm(initial={"stage": group.stage}, auto_id="stage_%s"),
        "close_form": given.get("close_form")
        or CloseForm(initial={"closed_on": today}, auto_id="close_%s"),
        "reopen_form": given.get("reopen_form") or ReopenForm(auto_id="reopen_%s"),
        "judge_form": given.get("judge_form")
        or JudgeForm(
            initial={
                "effectiveness": group.effectiveness or None,
                "note": group.effectiveness_note,
            },
            auto_id="judge_%s",
        ),
        "events": history(group),
        "evidence_needed": group.kind != Group.Kind.BOOK_STUDY,
    }
    return render(request, "collaboration/group_detail.html", context, status=status)


@actor_required
def group_detail(request, pk: int):
    return _group_page(request, selectors.group_detail(request.actor, pk))


def _initial(group: Group) -> dict:
    data = {name: getattr(group, name) for name in services.GROUP_FIELDS}
    data["school"] = group.school_id
    data["school_year"] = group.school_year_id
    data["facilitator"] = group.facilitator_id
    data["goals"] = [g.pk for g in group.goals.all()]
    return data


@actor_required
def group_edit(request, pk: int):
    actor = request.actor
    group = selectors.group_for(actor, pk)
    access.require(actor, "change", group)
    if group.is_closed:
        return _closed(request, group)
    form = _group_form(request, group=group, data=request.POST or None, initial=_initial(group))

    def save(data):
        goals = list(data.pop("goals"))
        return services.group_update(group=group, actor=request.user, data=data, goals=goals)

    return save_form(
        request,
        form,
        save,
        title=f"Edit {group}",
        cancel=group.get_absolute_url(),
        template="growth/form.html",
    )


def _candidates(group: Group):
    people = (
        selectors.people(group.district, schools=[group.school_id])
        if group.school_id
        else selectors.people(group.district)
    )
    return people.exclude(group_memberships__group=group)


@actor_required
def group_members(request, pk: int):
    actor = request.actor
    group = selectors.group_detail(actor, pk)
    access.require(actor, "change", group)
    form = MemberForm(request.POST or None, staff=_candidates(group))
    status = 200
    if request.method == "POST":
        if group.is_closed:
            return _closed(request, group)
        remove = parse_int(request.POST.get("remove"))
        if remove is not None:
            person = next((m.staff for m in group.member_list if m.staff_id == remove), None)
            if person is None:
                messages.error(request, "That person is not a member.")
                return redirect("group-members", group.pk)
            return transition(
                request,
                lambda: services.member_remove(group=group, actor=request.user, staff=person),
                done=f"{person} is no longer a member.",
                to=reverse("group-members", args=[group.pk]),
            )
        if form.is_valid():
            person = form.cleaned_data["staff"]
            try:
                services.member_add(group=group, actor=request.user, staff=person)
            except DomainError as exc:
                form.add_error("staff", refused(exc))
            else:
                messages.success(request, f"{person} joined {group}.")
                return redirect("group-members", group.pk)
        status = 400
    return render(
        request,
        "collaboration/members.html",
        {
            "group": group,
            "form": form if not group.is_closed else None,
            "members": group.member_list,
        },
        status=status,
    )


@require_POST
@actor_required
def group_join(request, pk: int):
    actor = request.actor
    group = selectors.group_for(actor, pk)
    access.require(actor, "join", group)
    return transition(
        request,
        lambda: services.group_join(group=group, actor=request.user, staff=actor.staff),
        group,
        done=f"You joined {group}.",
    )


@require_POST
@actor_required
def group_leave(request, pk: int):
    actor = request.actor
    group = selectors.group_for(actor, pk)
    access.require(actor, "leave", group)
    return transition(
        request,
        lambda: services.group_leave(group=group, actor=request.user, staff=actor.staff),
        group,
        done=f"You left {group}.",
    )


def _group_step(request, pk: int, action: str, form_class, key: str, call, done: str):
    actor = request.actor
    group = selectors.group_detail(actor, pk)
    access.require(actor, action, group)
    form = form_class(request.POST, auto_id=f"{key.split('_')[0]}_%s")
    return act(
        request,
        group,
        form,
        lambda data: call(group, data),
        done=done,
        page=lambda f: _group_page(request, group, status=400, **{key: f}),
    )


@require_POST
@actor_required
def group_stage(request, pk: int):
    return _group_step(
        request,
        pk,
        "change",
        StageForm,
        "stage_form",
        lambda group, data: services.group_stage(
            group=group, actor=request.user, to=data["stage"], note=data["note"]
        ),
        done="The group moved along its cycle of inquiry.",
    )


@require_POST
@actor_required
def group_close(request, pk: int):
    return _group_step(
        request,
        pk,
        "change",
        CloseForm,
        "close_form",
        lambda group, data: services.group_close(
            group=group, actor=request.user, closed_on=data["closed_on"], note=data["note"]
        ),
        done="The group's cycle is closed.",
    )


@require_POST
@actor_required
def group_reopen(request, pk: int):
    return _group_step(
        request,
        pk,
        "change",
        ReopenForm,
        "reopen_form",
        lambda group, data: services.group_reopen(
            group=group, actor=request.user, note=data["note"]
        ),
        done="The group's cycle is open again.",
    )


@require_POST
@actor_required
def group_judge(request, pk: int):
    return _group_step(
        request,
        pk,
        "judge",
        JudgeForm,
        "judge_form",
        lambda group, data: services.group_judge(
            group=group,
            actor=request.user,
            by=request.actor.staff,
            effectiveness=data["effectiveness"],
            note=data["note"],
        ),
        done="Your judgement of the group's effectiveness is recorded.",
    )


@actor_required
def group_evidence(request, pk: int):
    actor = request.actor
    group = selectors.group_detail(actor, pk)
    access.require(actor, "record_evidence", group)
    form = EvidenceForm(request.POST or None, initial={"unit": "%"})
    status = 200
    if request.method == "POST":
        if group.is_closed:
            return _closed(request, group)
        remove = parse_int(request.POST.get("remove"))
        if remove is not None:
            item = next((e for e in group.evidence_list if e.pk == remove), None)
            if item is None:
                raise Http404
            evidence_services.evidence_remove(evidence=item, actor=request.user)
            messages.success(request, f"Removed “{item}”.")
            return redirect("group-evidence", group.pk)
        if form.is_valid():
            try:
                evidence_services.evidence_add(
                    group=group, actor=request.user, data=form.cleaned_data, recorded_by=actor.staff
                )
            except (DomainError, ValidationError) as exc:
                form_error(form, exc)
            else:
                messages.success(request, "Evidence recorded.")
                return redirect("group-evidence", group.pk)
        status = 400
    return render(
        request,
        "collaboration/evidence.html",
        {
            "group": group,
            "form": form if not group.is_closed else None,
            "evidence": selectors.evidence_figures(group, group.evidence_list),
            "min_group_size": actor.district.min_group_size,
        },
        status=status,
    )

"""Small-group pages. Views parse, ask access, call a service or selector, and render. A refusal
shows inline on its form (400), or, when the record's state forbids the step, as a message on
the record's page. A closed group's pages are read-only."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from cadre.collaboration import protocols, selectors
from cadre.collaboration import report as reporting
from cadre.collaboration.forms import (
    CheckInForm,
    CloseForm,
    EvidenceForm,
    GroupForm,
    JudgeForm,
    LessonForm,
    LessonStageForm,
    MeetingForm,
    MemberForm,
    ReflectionForm,
    ReopenForm,
    StageForm,
)
from cadre.collaboration.models import Group, Meeting, ResearchLesson
from cadre.collaboration.services import check_ins as check_in_services
from cadre.collaboration.services import evidence as evidence_services
from cadre.collaboration.services import groups as group_services
from cadre.collaboration.services import lessons as lesson_services
from cadre.collaboration.services import meetings as meeting_services
from cadre.core import attachments
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


def _years(request, source=None):
    """The school years, and the one the page shows (?year=), else the current one."""
    actor = request.actor
    years = selectors.school_years(actor)
    wanted = parse_int((source or request.GET).get("year"))
    return years, selectors.pick_year(actor, years, wanted)


def _closed(request, group: Group):
    """A closed group's forms are not offered: back to its page with why."""
    messages.error(request, f"{group}'s cycle is closed; it is read-only until reopened.")
    return redirect(group.get_absolute_url())


# --- groups ----------------------------------------------------------------------------------


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
        return group_services.group_create(
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
    data = {name: getattr(group, name) for name in group_services.GROUP_FIELDS}
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
        return group_services.group_update(group=group, actor=request.user, data=data, goals=goals)

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
                lambda: group_services.member_remove(group=group, actor=request.user, staff=person),
                done=f"{person} is no longer a member.",
                to=reverse("group-members", args=[group.pk]),
            )
        if form.is_valid():
            person = form.cleaned_data["staff"]
            try:
                group_services.member_add(group=group, actor=request.user, staff=person)
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
        lambda: group_services.group_join(group=group, actor=request.user, staff=actor.staff),
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
        lambda: group_services.group_leave(group=group, actor=request.user, staff=actor.staff),
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
        lambda group, data: group_services.group_stage(
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
        lambda group, data: group_services.group_close(
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
        lambda group, data: group_services.group_reopen(
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
        lambda group, data: group_services.group_judge(
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


# --- meetings --------------------------------------------------------------------------------


def _members(group: Group):
    return Staff.objects.filter(group_memberships__group=group).order_by(
        "last_name", "first_name", "id"
    )


def _meeting_form_page(request, group, form, *, title: str, cancel: str, save):
    if request.method == "POST" and form.is_valid():
        try:
            obj = save(form.cleaned_data)
        except (DomainError, ValidationError) as exc:
            form_error(form, exc)
        else:
            messages.success(request, f"Saved the meeting of {obj.held_on:%-d %B %Y}.")
            return redirect(obj.get_absolute_url())
    return render(
        request,
        "collaboration/meeting_form.html",
        {
            "form": form,
            "group": group,
            "title": title,
            "cancel": cancel,
            "protocols": protocols.entries(),
        },
        status=400 if request.method == "POST" else 200,
    )


@actor_required
def meeting_create(request, pk: int):
    actor = request.actor
    group = selectors.group_for(actor, pk)
    access.require(actor, "record_meeting", group)
    if group.is_closed:
        return _closed(request, group)
    members = _members(group)
    form = MeetingForm(
        request.POST or None,
        request.FILES or None,
        members=members,
        initial={
            "held_on": actor.today,
            "minutes": group.meeting_minutes,
            "present": [m.pk for m in members],
        },
    )

    def save(data):
        return meeting_services.meeting_create(
            group=group,
            actor=request.user,
            data={k: data[k] for k in meeting_services.MEETING_FIELDS},
            present=list(data["present"]),
            uploads=data["file"],
            recorded_by=actor.staff,
        )

    return _meeting_form_page(
        request,
        group,
        form,
        title=f"Record a meeting of {group}",
        cancel=group.get_absolute_url(),
        save=save,
    )


def _meeting_page(request, meeting: Meeting, *, form=None, status: int = 200):
    actor = request.actor
    group = meeting.group
    mine = next((r for r in meeting.reflection_list if r.staff_id == actor.staff.pk), None)
    is_open = not group.is_closed
    can_reflect = is_open and access.can(actor, "reflect", meeting)
    return render(
        request,
        "collaboration/meeting_detail.html",
        {
            "meeting": meeting,
            "group": group,
            "protocol": protocols.entry(meeting.protocol),
            "present": [a for a in meeting.register if a.present],
            "absent": [a for a in meeting.register if not a.present],
            "reflections": meeting.reflection_list,
            "samples": meeting.sample_list,
            "mine": mine,
            "can_edit": is_open and access.can(actor, "change", meeting),
            "can_reflect": can_reflect,
            "form": form
            or (
                ReflectionForm(initial={"text": mine.text if mine else ""}) if can_reflect else None
            ),
            "events": history(meeting),
        },
        status=status,
    )


@actor_required
def meeting_detail(request, pk: int):
    return _meeting_page(request, selectors.meeting_detail(request.actor, pk))


@actor_required
def meeting_edit(request, pk: int):
    actor = request.actor
    meeting = selectors.meeting_detail(actor, pk)
    access.require(actor, "change", meeting)
    group = meeting.group
    if group.is_closed:
        return _closed(request, group)
    initial = {name: getattr(meeting, name) for name in meeting_services.MEETING_FIELDS}
    initial["present"] = [a.staff_id for a in meeting.register if a.present]
    members = _members(group) | Staff.objects.filter(pk__in=[a.staff_id for a in meeting.register])
    form = MeetingForm(
        request.POST or None,
        request.FILES or None,
        members=members.distinct().order_by("last_name", "first_name", "id"),
        samples=meeting.samples.all(),
        initial=initial,
    )

    def save(data):
        return meeting_services.meeting_update(
            meeting=meeting,
            actor=request.user,
            data={k: data[k] for k in meeting_services.MEETING_FIELDS},
            present=list(data["present"]),
            uploads=data["file"],
            remove_samples=list(data["remove"]),
        )

    return _meeting_form_page(
        request,
        group,
        form,
        title=f"Edit the meeting of {meeting.held_on:%-d %B %Y}",
        cancel=meeting.get_absolute_url(),
        save=save,
    )


@actor_required
def meeting_reflect(request, pk: int):
    actor = request.actor
    meeting = selectors.meeting_detail(actor, pk)
    access.require(actor, "reflect", meeting)
    if request.method != "POST":
        return redirect(meeting.get_absolute_url() + "#reflect-h")
    return act(
        request,
        meeting,
        ReflectionForm(request.POST),
        lambda data: meeting_services.reflection_save(
            meeting=meeting, actor=request.user, staff=actor.staff, text=data["text"]
        ),
        done="Your reflection is saved.",
        page=lambda f: _meeting_page(request, meeting, form=f, status=400),
    )


@require_GET
@actor_required
def work_sample(request, pk: int):
    """The file, to those who see its meeting: its stored type, always a download."""
    sample = selectors.work_sample(request.actor, pk)
    return attachments.download(sample.file, name=sample.name, content_type=sample.content_type)


# --- research lessons ------------------------------------------------------------------------


def _lesson_form(group: Group, data=None, initial=None):
    members = _members(group)
    schools = (
        [group.school_id]
        if group.school_id
        else list(
            group.memberships.exclude(school=None).values_list("school_id", flat=True).distinct()
        )
    )
    observers = selectors.people(group.district, schools=schools) | members
    return LessonForm(
        data,
        initial=initial,
        members=members,
        observers=observers.distinct().order_by("last_name", "first_name", "id"),
    )


@actor_required
def lesson_create(request, pk: int):
    actor = request.actor
    group = selectors.group_for(actor, pk)
    access.require(actor, "add_lesson", group)
    if group.is_closed:
        return _closed(request, group)
    if group.kind != Group.Kind.LESSON_STUDY:
        messages.error(request, f"{group} is not a lesson-study group: it has no research lessons.")
        return redirect(group.get_absolute_url())
    form = _lesson_form(group, request.POST or None)

    def save(data):
        observers = list(data.pop("observers"))
        return lesson_services.research_lesson_create(
            group=group, actor=request.user, data=data, observers=observers
        )

    return save_form(
        request,
        form,
        save,
        title=f"Plan a research lesson for {group}",
        cancel=group.get_absolute_url(),
        template="growth/form.html",
    )


def _lesson_page(request, lesson: ResearchLesson, *, form=None, status: int = 200):
    actor = request.actor
    group = lesson.group
    order = list(ResearchLesson.Stage.values)
    at = order.index(lesson.stage)
    can_change = not group.is_closed and access.can(actor, "change", lesson)
    return render(
        request,
        "collaboration/lesson_detail.html",
        {
            "lesson": lesson,
            "group": group,
            "stepper": [
                {"label": label, "done": i < at, "current": i == at}
                for i, (_, label) in enumerate(ResearchLesson.Stage.choices)
            ],
            "can_change": can_change,
            "stage_form": form
            or LessonStageForm(
                initial={"stage": order[min(at + 1, len(order) - 1)]}, auto_id="stage_%s"
            ),
            "events": history(lesson),
        },
        status=status,
    )


@actor_required
def lesson_detail(request, pk: int):
    return _lesson_page(request, selectors.research_lesson_detail(request.actor, pk))


@actor_required
def lesson_edit(request, pk: int):
    actor = request.actor
    lesson = selectors.research_lesson_detail(actor, pk)
    access.require(actor, "change", lesson)
    group = lesson.group
    if group.is_closed:
        return _closed(request, group)
    initial = {name: getattr(lesson, name) for name in lesson_services.LESSON_FIELDS}
    initial["teacher"] = lesson.teacher_id
    initial["observers"] = [s.pk for s in lesson.observer_list]
    form = _lesson_form(group, request.POST or None, initial=initial)

    def save(data):
        observers = list(data.pop("observers"))
        return lesson_services.research_lesson_update(
            lesson=lesson, actor=request.user, data=data, observers=observers
        )

    return save_form(
        request,
        form,
        save,
        title=f"Edit “{lesson}”",
        cancel=lesson.get_absolute_url(),
        template="growth/form.html",
    )


@require_POST
@actor_required
def lesson_stage(request, pk: int):
    actor = request.actor
    lesson = selectors.research_lesson_detail(actor, pk)
    access.require(actor, "change", lesson)
    return act(
        request,
        lesson,
        LessonStageForm(request.POST, auto_id="stage_%s"),
        lambda data: lesson_services.research_lesson_stage(
            lesson=lesson, actor=request.user, to=data["stage"], note=data["note"]
        ),
        done="The research lesson moved on.",
        page=lambda f: _lesson_page(request, lesson, form=f, status=400),
    )


# --- check-ins -------------------------------------------------------------------------------


@actor_required
def check_in_create(request, pk: int):
    actor = request.actor
    group = selectors.group_for(actor, pk)
    access.require(actor, "check_in", group)
    if group.is_closed:
        return _closed(request, group)
    form = CheckInForm(request.POST or None, initial={"held_on": actor.today})
    return save_form(
        request,
        form,
        lambda data: check_in_services.check_in_create(
            group=group, actor=request.user, by=actor.staff, data=data
        ),
        title=f"Log a check-in with {group}",
        cancel=group.get_absolute_url(),
        template="growth/form.html",
    )


@actor_required
def check_in_detail(request, pk: int):
    actor = request.actor
    check_in = selectors.check_in_detail(actor, pk)
    return render(
        request,
        "collaboration/check_in_detail.html",
        {
            "check_in": check_in,
            "group": check_in.group,
            "can_edit": not check_in.group.is_closed and access.can(actor, "change", check_in),
            "events": history(check_in),
        },
    )


@actor_required
def check_in_edit(request, pk: int):
    actor = request.actor
    check_in = selectors.check_in_detail(actor, pk)
    access.require(actor, "change", check_in)
    if check_in.group.is_closed:
        return _closed(request, check_in.group)
    initial = {name: getattr(check_in, name) for name in check_in_services.CHECK_IN_FIELDS}
    return save_form(
        request,
        CheckInForm(request.POST or None, initial=initial),
        lambda data: check_in_services.check_in_update(
            check_in=check_in, actor=request.user, data=data
        ),
        title=f"Edit the check-in of {check_in.held_on:%-d %B %Y}",
        cancel=check_in.get_absolute_url(),
        template="growth/form.html",
    )


@actor_required
def check_ins(request):
    """The school view: each group's last check-in, the overdue ones first and flagged."""
    actor = request.actor
    access.require(actor, "follow", Group)
    years, year = _years(request)
    school = parse_int(request.GET.get("school"))
    rows = selectors.check_in_status(actor, year, school) if year else []
    return render(
        request,
        "collaboration/check_ins.html",
        {
            "page": paginate(request, rows),
            "overdue": sum(1 for r in rows if r.overdue),
            "total": len(rows),
            "years": years,
            "year": year,
            "school": school,
            "schools": selectors.school_choices(actor),
            "interval": actor.district.check_in_days,
        },
    )


# --- the library and the report --------------------------------------------------------------


@actor_required
def protocol_list(request):
    return render(request, "collaboration/protocols.html", {"protocols": protocols.entries()})


@actor_required
def report(request):
    actor = request.actor
    access.require(actor, "follow", Group)
    years, year = _years(request)
    return render(
        request,
        "collaboration/report.html",
        {
            "year": year,
            "years": years,
            "report": reporting.build(actor, year) if year else None,
            "scope": "the district" if actor.is_district_admin else "the groups of your schools",
        },
    )

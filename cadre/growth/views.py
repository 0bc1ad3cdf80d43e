"""Professional-goal and ISD pages. Views parse, ask access, call a service or selector, and
render. A refusal shows inline on its form (400), or, when the record's state forbids the step,
as a message on the record's page."""

from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from cadre.core import attachments
from cadre.core.errors import DomainError
from cadre.core.views import (
    act,
    actor_required,
    paginate,
    parse_bool,
    parse_choice,
    parse_int,
    refused,
    save_form,
    transition,
)
from cadre.districts import access
from cadre.districts.models import Staff
from cadre.growth import selectors, services
from cadre.growth.forms import (
    AllotmentForm,
    AttachForm,
    CancelForm,
    CompleteForm,
    DenyForm,
    GoalForm,
    IsdRequestForm,
    ReflectForm,
    ReimburseForm,
    ReturnForm,
)
from cadre.growth.models import IsdAllotment, IsdRequest, ProfessionalGoal

GoalStatus = ProfessionalGoal.Status
IsdStatus = IsdRequest.Status
EDITABLE = (GoalStatus.DRAFT, GoalStatus.RETURNED)
OPEN = (IsdStatus.SUBMITTED, IsdStatus.APPROVED, IsdStatus.COMPLETED)


# --- professional goals ----------------------------------------------------------------------


@actor_required
def goal_list(request):
    actor = request.actor
    access.require(actor, "list", ProfessionalGoal)
    years = selectors.school_years(actor)
    year = selectors.pick_year(actor, years, parse_int(request.GET.get("year")))
    goals = selectors.goal_list(actor, staff=actor.staff, school_year=year) if year else []
    requests = selectors.isd_request_list(actor, show="mine", school_year=year)[:10] if year else []
    return render(
        request,
        "growth/goal_list.html",
        {
            "year": year,
            "years": years,
            "page": paginate(request, goals),
            "balance": services.balance(actor.staff, year) if year else None,
            "requests": requests,
            "to_decide": selectors.goals_to_decide(actor).filter(school_year=year).count()
            if year and access.can(actor, "approve", ProfessionalGoal)
            else 0,
            "can_oversee": access.can(actor, "list", Staff),
        },
    )


@actor_required
def goal_create(request):
    actor = request.actor
    access.require(actor, "create", ProfessionalGoal)
    try:
        frame = selectors.new_goal(actor)
    except DomainError as exc:
        messages.error(request, refused(exc))
        return redirect("professional-goal-list")
    form = GoalForm(request.POST or None, choices=selectors.alignment_choices(actor, frame))

    def save(data):
        return services.goal_create(
            staff=actor.staff,
            actor=request.user,
            data=data,
            aligns_to=list(data.get("aligns_to") or []),
        )

    return save_form(
        request,
        form,
        save,
        title=f"New goal for {frame.school_year}",
        cancel=reverse("professional-goal-list"),
        template="growth/goal_form.html",
        extra={"unit": frame.supervisor_unit},
    )


def _goal_page(request, goal, *, return_form=None, status: int = 200):
    actor = request.actor
    editable = goal.status in EDITABLE
    submitted = goal.status == GoalStatus.SUBMITTED
    return render(
        request,
        "growth/goal_detail.html",
        {
            "goal": goal,
            "events": selectors.history(goal),
            "requests": selectors.isd_request_list(actor, show="all", goal=goal),
            "is_author": goal.staff_id == actor.staff.pk,
            "can_edit": editable and access.can(actor, "change", goal),
            "can_submit": editable and access.can(actor, "submit", goal),
            "can_withdraw": submitted and access.can(actor, "withdraw", goal),
            "can_decide": submitted and access.can(actor, "approve", goal),
            "can_reflect": goal.status == GoalStatus.APPROVED
            and access.can(actor, "reflect", goal),
            "return_form": return_form or ReturnForm(auto_id="return_%s"),
        },
        status=status,
    )


@actor_required
def goal_detail(request, pk: int):
    return _goal_page(request, selectors.goal_detail(request.actor, pk))


@actor_required
def goal_edit(request, pk: int):
    actor = request.actor
    goal = selectors.goal_detail(actor, pk)
    access.require(actor, "change", goal)
    if goal.status not in EDITABLE:
        messages.error(
            request,
            f"This goal is {goal.get_status_display().lower()}; withdraw it to change it."
            if goal.status == GoalStatus.SUBMITTED
            else f"This goal is {goal.get_status_display().lower()}; it is no longer edited.",
        )
        return redirect(goal.get_absolute_url())
    initial = {
        "title": goal.title,
        "statement": goal.statement,
        "activities": goal.activities,
        "evidence": goal.evidence,
        "aligns_to": list(goal.aligns_to.all()),
    }
    form = GoalForm(
        request.POST or None, initial=initial, choices=selectors.alignment_choices(actor, goal)
    )

    def save(data):
        return services.goal_update(
            goal=goal, actor=request.user, data=data, aligns_to=list(data.get("aligns_to") or [])
        )

    return save_form(
        request,
        form,
        save,
        title=f"Edit {goal}",
        cancel=goal.get_absolute_url(),
        template="growth/goal_form.html",
        extra={"goal": goal, "unit": goal.supervisor_unit},
    )


@require_POST
@actor_required
def goal_autosave(request, pk: int):
    """Save the draft as it is typed: the edit page posts the whole form a few seconds after a
    change. The answer is JSON; a refusal keeps the typed text in the page and says why."""
    actor = request.actor
    goal = selectors.goal_detail(actor, pk)
    access.require(actor, "change", goal)
    form = GoalForm(request.POST, choices=selectors.alignment_choices(actor, goal))
    if not form.is_valid():
        errors = {name: [str(m) for m in errs] for name, errs in form.errors.items()}
        detail = "; ".join(
            (f"{form[name].label}: " if name in form.fields else "") + " ".join(errs)
            for name, errs in errors.items()
        )
        return JsonResponse(
            {"code": "invalid", "detail": f"Not saved. {detail}", "errors": errors}, status=400
        )
    data = form.cleaned_data
    try:
        services.goal_update(
            goal=goal, actor=request.user, data=data, aligns_to=list(data["aligns_to"])
        )
    except DomainError as exc:
        return JsonResponse(
            {"code": exc.code, "detail": f"Not saved. {exc.detail}"}, status=exc.status
        )
    saved_at = timezone.localtime().strftime("%H:%M")
    return JsonResponse({"saved_at": saved_at, "detail": f"Saved at {saved_at}"})


def _goal_step(request, pk: int, action: str, service, done: str):
    actor = request.actor
    goal = selectors.goal_detail(actor, pk)
    access.require(actor, action, goal)
    return transition(request, lambda: service(goal=goal, actor=request.user), goal, done=done)


@require_POST
@actor_required
def goal_submit(request, pk: int):
    return _goal_step(
        request, pk, "submit", services.goal_submit, "Submitted; your supervisor decides next."
    )


@require_POST
@actor_required
def goal_withdraw(request, pk: int):
    return _goal_step(
        request, pk, "withdraw", services.goal_withdraw, "Withdrawn; it is a draft again."
    )


@require_POST
@actor_required
def goal_approve(request, pk: int):
    return _goal_step(request, pk, "approve", services.goal_approve, "Goal approved.")


@require_POST
@actor_required
def goal_return(request, pk: int):
    actor = request.actor
    goal = selectors.goal_detail(actor, pk)
    access.require(actor, "return", goal)
    return act(
        request,
        goal,
        ReturnForm(request.POST, auto_id="return_%s"),
        lambda data: services.goal_return(goal=goal, actor=request.user, comment=data["comment"]),
        done="Returned with your comment.",
        page=lambda form: _goal_page(request, goal, return_form=form, status=400),
    )


@actor_required
def goal_reflect(request, pk: int):
    actor = request.actor
    goal = selectors.goal_detail(actor, pk)
    access.require(actor, "reflect", goal)
    if goal.status != GoalStatus.APPROVED:
        messages.error(request, "You reflect on a goal once it is approved.")
        return redirect(goal.get_absolute_url())
    initial = {"reflection": goal.reflection, "outcome": goal.outcome}
    return save_form(
        request,
        ReflectForm(request.POST or None, initial=initial),
        lambda data: services.goal_reflect(goal=goal, actor=request.user, data=data),
        title=f"Reflect on {goal}",
        cancel=goal.get_absolute_url(),
        template="growth/form.html",
    )


@actor_required
def goal_status(request):
    """Each supervised person's goals this year at a glance, for principals, directors and
    administrators."""
    actor = request.actor
    access.require(actor, "list", Staff)
    years = selectors.school_years(actor)
    year = selectors.pick_year(actor, years, parse_int(request.GET.get("year")))
    led = access.units(actor)
    statuses = [*GoalStatus.choices, (selectors.NO_GOAL, "No goal yet")]
    filters = {
        "school": parse_int(request.GET.get("school")),
        "program": parse_int(request.GET.get("program")),
        "status": parse_choice(request.GET.get("status"), statuses),
        "needs_action": bool(parse_bool(request.GET.get("needs_action"))),
    }
    page, summary, rows = None, {}, []
    if year is not None:
        people, summary = selectors.goal_status(actor, year, **filters)
        page = paginate(request, people)
        rows = selectors.status_rows(actor, page.object_list, year)
    return render(
        request,
        "growth/goal_status.html",
        {
            "year": year,
            "years": years,
            "schools": list(led.schools),
            "programs": list(led.programs),
            "statuses": statuses,
            "filters": filters,
            "summary": [(value, label, summary.get(value, 0)) for value, label in statuses],
            "page": page,
            "rows": rows,
        },
    )


# --- ISD requests ------------------------------------------------------------------------------


def _shows(actor) -> list[tuple[str, str]]:
    tabs = [("mine", "Mine")]
    if access.can(actor, "approve", IsdRequest):
        tabs.append(("decide", "To decide"))
    if access.can(actor, "reimburse", IsdRequest):
        tabs.append(("reimburse", "To reimburse"))
    if access.can(actor, "list", Staff) or actor.is_business_office:
        tabs.append(("all", "All I can see"))
    return tabs


@actor_required
def isd_request_list(request):
    actor = request.actor
    access.require(actor, "list", IsdRequest)
    tabs = _shows(actor)
    show = parse_choice(request.GET.get("view"), tabs) or "mine"
    status = parse_choice(request.GET.get("status"), IsdStatus.choices)
    years = selectors.school_years(actor)
    wanted = parse_int(request.GET.get("year"))
    year = next((y for y in years if y.pk == wanted), None)
    qs = selectors.isd_request_list(actor, show=show, status=status, school_year=year)
    current = selectors.pick_year(actor, years, None)
    return render(
        request,
        "growth/isd_request_list.html",
        {
            "page": paginate(request, qs),
            "tabs": tabs,
            "show": show,
            "status": status,
            "statuses": IsdStatus.choices,
            "years": years,
            "year": year,
            "current_year": current,
            "balance": services.balance(actor.staff, current) if current else None,
            "can_create": access.can(actor, "create", IsdRequest),
        },
    )


@actor_required
def isd_request_create(request):
    actor = request.actor
    access.require(actor, "create", IsdRequest)
    years = selectors.school_years(actor)
    current = selectors.pick_year(actor, years, None)
    wanted = parse_int(request.GET.get("goal"))
    goals = selectors.own_goals(actor)
    offerings = selectors.requestable_offerings(actor)
    offering = offerings.filter(pk=parse_int(request.GET.get("offering"))).first()
    form = IsdRequestForm(
        request.POST or None,
        goals=goals,
        offerings=offerings,
        initial={
            "goal": next((g for g in goals if g.pk == wanted), None),
            "kind": "offering" if offering else "course",
            "offering": offering,
        },
    )
    return save_form(
        request,
        form,
        lambda data: services.isd_request_create(staff=actor.staff, actor=request.user, data=data),
        title="New ISD request",
        cancel=reverse("isd-request-list"),
        template="growth/isd_request_form.html",
        extra={
            "year": current,
            "balance": services.balance(actor.staff, current) if current else None,
        },
    )


FORMS = {
    "deny": (DenyForm, "deny_%s"),
    "complete": (CompleteForm, "complete_%s"),
    "reimburse": (ReimburseForm, "reimburse_%s"),
    "cancel": (CancelForm, "cancel_%s"),
    "attach": (AttachForm, "attach_%s"),
}


def _request_page(request, isd, *, bound: dict | None = None, status: int = 200):
    actor = request.actor
    forms = {name: form(auto_id=auto) for name, (form, auto) in FORMS.items()}
    forms.update(bound or {})
    is_open = isd.status in OPEN
    return render(
        request,
        "growth/isd_request_detail.html",
        {
            "isd": isd,
            "forms": forms,
            "events": selectors.history(isd),
            "entries": selectors.ledger_entries(isd),
            "balance": services.balance(isd.staff, isd.school_year),
            "is_author": isd.staff_id == actor.staff.pk,
            "balance_who": "" if isd.staff_id == actor.staff.pk else isd.staff.full_name,
            "can_decide": isd.status == IsdStatus.SUBMITTED and access.can(actor, "approve", isd),
            "can_complete": isd.status == IsdStatus.APPROVED and access.can(actor, "complete", isd),
            "can_reimburse": isd.status == IsdStatus.COMPLETED
            and access.can(actor, "reimburse", isd),
            "can_cancel": is_open and access.can(actor, "cancel", isd),
            "can_attach": is_open and access.can(actor, "attach", isd),
        },
        status=status,
    )


@actor_required
def isd_request_detail(request, pk: int):
    return _request_page(request, selectors.isd_request_detail(request.actor, pk))


def _isd_step(request, pk: int, action: str, call, *, done: str):
    """A decision with input: the form of the same name on the request's page."""
    actor = request.actor
    isd = selectors.isd_request_detail(actor, pk)
    access.require(actor, action, isd)
    form_class, auto_id = FORMS[action]
    form = form_class(request.POST, request.FILES, auto_id=auto_id)
    return act(
        request,
        isd,
        form,
        lambda data: call(isd, data),
        done=done,
        page=lambda bound: _request_page(request, isd, bound={action: bound}, status=400),
    )


@require_POST
@actor_required
def isd_request_approve(request, pk: int):
    actor = request.actor
    isd = selectors.isd_request_detail(actor, pk)
    access.require(actor, "approve", isd)
    return transition(
        request,
        lambda: services.isd_approve(request=isd, actor=request.user),
        isd,
        done=f"Approved; ${isd.cost:,.2f} is encumbered on the ISD source.",
    )


@require_POST
@actor_required
def isd_request_deny(request, pk: int):
    return _isd_step(
        request,
        pk,
        "deny",
        lambda isd, data: services.isd_deny(request=isd, actor=request.user, reason=data["reason"]),
        done="Denied; the requester sees your reason.",
    )


@require_POST
@actor_required
def isd_request_complete(request, pk: int):
    return _isd_step(
        request,
        pk,
        "complete",
        lambda isd, data: services.isd_complete(request=isd, actor=request.user, note=data["note"]),
        done="Marked completed; the business office reimburses next.",
    )


@require_POST
@actor_required
def isd_request_reimburse(request, pk: int):
    return _isd_step(
        request,
        pk,
        "reimburse",
        lambda isd, data: services.isd_reimburse(
            request=isd, actor=request.user, paid_amount=data["paid_amount"]
        ),
        done="Reimbursement recorded; the expenditure is posted.",
    )


@require_POST
@actor_required
def isd_request_cancel(request, pk: int):
    return _isd_step(
        request,
        pk,
        "cancel",
        lambda isd, data: services.isd_cancel(
            request=isd, actor=request.user, reason=data["reason"]
        ),
        done="Cancelled; anything held on the ISD source is released.",
    )


@require_POST
@actor_required
def isd_request_attach(request, pk: int):
    return _isd_step(
        request,
        pk,
        "attach",
        lambda isd, data: services.isd_attach(request=isd, actor=request.user, upload=data["file"]),
        done="File attached.",
    )


@require_GET
@actor_required
def isd_attachment(request, pk: int):
    """The file, to those who see its request: stored type, always a download, never sniffed."""
    item = selectors.attachment(request.actor, pk)
    access.require(request.actor, "view", item)
    return attachments.download(item.file, name=item.name, content_type=item.content_type)


# --- ISD allotments ----------------------------------------------------------------------------


@actor_required
def allotment_list(request):
    actor = request.actor
    access.require(actor, "list", IsdAllotment)
    years = selectors.school_years(actor)
    wanted = parse_int(request.GET.get("year"))
    year = next((y for y in years if y.pk == wanted), None)
    current = selectors.pick_year(actor, years, None)
    return render(
        request,
        "growth/allotment_list.html",
        {
            "page": paginate(request, selectors.allotment_list(actor, school_year=year)),
            "years": years,
            "year": year,
            "current_year": current,
            "balance": services.balance(actor.staff, current) if current else None,
            "can_create": access.can(actor, "create", IsdAllotment),
            "can_change": access.can(actor, "change", IsdAllotment),
        },
    )


@actor_required
def allotment_create(request):
    actor = request.actor
    access.require(actor, "create", IsdAllotment)
    current = selectors.pick_year(actor, selectors.school_years(actor), None)
    return save_form(
        request,
        AllotmentForm(
            request.POST or None, initial={"school_year": current}, district=actor.district
        ),
        lambda data: services.allotment_create(
            district=actor.district, actor=request.user, data=data
        ),
        title="New ISD allotment",
        cancel=reverse("isd-allotment-list"),
    )


@actor_required
def allotment_edit(request, pk: int):
    actor = request.actor
    allotment = access.get_visible_or_404(actor, IsdAllotment, pk=pk)
    access.require(actor, "change", allotment)
    return save_form(
        request,
        AllotmentForm(
            request.POST or None,
            instance=IsdAllotment.objects.get(pk=pk),
            district=actor.district,
        ),
        lambda data: services.allotment_update(allotment=allotment, actor=request.user, data=data),
        title=f"Edit {allotment}",
        cancel=reverse("isd-allotment-list"),
    )

"""Planning pages: strategic plans and goals, needs assessments with their priorities and
stakeholder input (including the public, no-login input link), and school and program PD
plans. Views parse, ask access, call a service or selector, and render. Bad input answers 400
with the reason on the page; a step the record's state forbids is a message on its page."""

from allauth.account.adapter import get_adapter
from django.contrib import messages
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST
from django_scopes import scope, scopes_disabled

from cadre.core.errors import Conflict, DomainError
from cadre.core.views import (
    act,
    actor_required,
    form_error,
    paginate,
    parse_int,
    refused,
    save_form,
    transition,
)
from cadre.districts import access
from cadre.districts.models import Program, School, SchoolYear
from cadre.planning import selectors, services
from cadre.planning.forms import (
    AssessmentForm,
    GoalForm,
    LinkForm,
    ModerateForm,
    PdPlanForm,
    PlanForm,
    PriorityForm,
    PublicInputForm,
    ReturnForm,
    StaffInputForm,
)
from cadre.planning.models import (
    Goal,
    NeedsAssessment,
    PdPlan,
    Priority,
    StakeholderInput,
    StrategicPlan,
)

FORM = "planning/form.html"
ID = "id"


def _bad_request(request, message: str, back: str):
    """Input we cannot act on: say why, with the way back (400)."""
    return render(
        request, "planning/bad_request.html", {"message": message, "back": back}, status=400
    )


def _filters(request, spec: dict):
    """Read list filters: `spec` maps a parameter to ID (a row id) or to its choices. A value
    that is neither empty nor valid is an error to show, not something to ignore."""
    values, errors = {}, []
    for name, kind in spec.items():
        raw = request.GET.get(name, "").strip()
        if not raw:
            values[name] = None if kind == ID else ""
            continue
        if kind == ID:
            number = parse_int(raw)
            if number is None or number < 1:
                errors.append(f"“{raw}” is not a valid {name.replace('_', ' ')}.")
            values[name] = number if number and number > 0 else None
        else:
            valid = {c[0] for c in kind}
            if raw not in valid:
                errors.append(f"“{raw}” is not a valid {name.replace('_', ' ')}.")
            values[name] = raw if raw in valid else ""
    return values, errors


def _list(request, template: str, qs, context: dict, errors: list[str]):
    page = paginate(request, qs.none() if errors else qs)
    return render(
        request,
        template,
        {"page": page, "errors": errors, **context},
        status=400 if errors else 200,
    )


def _units(actor) -> dict:
    return {
        "schools": School.objects.filter(district=actor.district, is_active=True),
        "programs": Program.objects.filter(district=actor.district, is_active=True),
        "years": SchoolYear.objects.filter(district=actor.district),
    }


def _current_year(actor):
    return SchoolYear.objects.filter(district=actor.district, is_current=True).first()


# --- strategic plans -------------------------------------------------------------------------


@actor_required
def plan_list(request):
    actor = request.actor
    access.require(actor, "list", StrategicPlan)
    filters, errors = _filters(
        request,
        {
            "level": StrategicPlan.Level.choices,
            "school": ID,
            "program": ID,
            "status": StrategicPlan.Status.choices,
        },
    )
    return _list(
        request,
        "planning/plan_list.html",
        selectors.plan_list(actor, **filters),
        {
            **_units(actor),
            "filters": filters,
            "levels": StrategicPlan.Level.choices,
            "statuses": StrategicPlan.Status.choices,
            "can_create": access.can(actor, "create", StrategicPlan),
        },
        errors,
    )


@actor_required
def plan_create(request):
    actor = request.actor
    access.require(actor, "create", StrategicPlan)
    current = _current_year(actor)
    form = PlanForm(
        request.POST or None,
        initial={"first_year": current, "last_year": current},
        actor=actor,
    )
    return save_form(
        request,
        form,
        lambda data: services.plan_create(district=actor.district, actor=request.user, data=data),
        title="New strategic plan",
        cancel=reverse("strategic-plan-list"),
        template=FORM,
    )


@actor_required
def plan_detail(request, pk: int):
    actor = request.actor
    plan = selectors.plan_detail(actor, pk)
    can_change = access.can(actor, "change", plan)
    return render(
        request,
        "planning/plan_detail.html",
        {
            "plan": plan,
            "goals": selectors.plan_goals(actor, plan),
            "can_change": can_change,
            "can_publish": access.can(actor, "publish", plan)
            and plan.status == StrategicPlan.Status.DRAFT,
        },
    )


@actor_required
def plan_edit(request, pk: int):
    actor = request.actor
    plan = selectors.plan_detail(actor, pk)
    access.require(actor, "change", plan)
    return save_form(
        request,
        PlanForm(request.POST or None, instance=StrategicPlan.objects.get(pk=pk), actor=actor),
        lambda data: services.plan_update(plan=plan, actor=request.user, data=data),
        title=f"Edit {plan}",
        cancel=plan.get_absolute_url(),
        template=FORM,
    )


@require_POST
@actor_required
def plan_publish(request, pk: int):
    actor = request.actor
    plan = selectors.plan_detail(actor, pk)
    access.require(actor, "publish", plan)
    return transition(
        request,
        lambda: services.plan_publish(plan=plan, actor=request.user),
        plan,
        done="Published: everyone the plan covers can read it now.",
    )


def _aligns(data: dict, form) -> list[Goal] | None:
    return list(data.get("aligns_to") or []) if "aligns_to" in form.fields else None


@actor_required
def goal_create(request, pk: int):
    actor = request.actor
    plan = selectors.plan_detail(actor, pk)
    access.require(actor, "change", plan)
    form = GoalForm(request.POST or None, actor=actor, plan=plan)
    return save_form(
        request,
        form,
        lambda data: services.goal_create(
            plan=plan, actor=request.user, data=data, aligns_to=_aligns(data, form)
        ),
        title=f"New goal of {plan}",
        cancel=plan.get_absolute_url(),
        template=FORM,
    )


@actor_required
def goal_edit(request, pk: int):
    actor = request.actor
    goal = selectors.goal_detail(actor, pk)
    access.require(actor, "change", goal)
    form = GoalForm(
        request.POST or None,
        instance=Goal.objects.prefetch_related("aligns_to").get(pk=pk),
        actor=actor,
        plan=goal.plan,
    )
    return save_form(
        request,
        form,
        lambda data: services.goal_update(
            goal=goal, actor=request.user, data=data, aligns_to=_aligns(data, form)
        ),
        title=f"Edit {goal}",
        cancel=goal.get_absolute_url(),
        template=FORM,
    )


# --- needs assessments -----------------------------------------------------------------------


@actor_required
def assessment_list(request):
    actor = request.actor
    access.require(actor, "list", NeedsAssessment)
    filters, errors = _filters(
        request,
        {
            "school": ID,
            "program": ID,
            "school_year": ID,
            "status": NeedsAssessment.Status.choices,
        },
    )
    return _list(
        request,
        "planning/assessment_list.html",
        selectors.assessment_list(actor, **filters),
        {
            **_units(actor),
            "filters": filters,
            "statuses": NeedsAssessment.Status.choices,
            "can_create": access.can(actor, "create", NeedsAssessment),
            "taking_input": list(selectors.assessments_taking_input(actor)[:20]),
        },
        errors,
    )


@actor_required
def assessment_create(request):
    actor = request.actor
    access.require(actor, "create", NeedsAssessment)
    form = AssessmentForm(
        request.POST or None, initial={"school_year": _current_year(actor)}, actor=actor
    )
    return save_form(
        request,
        form,
        lambda data: services.assessment_create(
            district=actor.district, actor=request.user, data=data
        ),
        title="New needs assessment",
        cancel=reverse("needs-assessment-list"),
        template=FORM,
    )


def _input_url(request, assessment: NeedsAssessment) -> str:
    return request.build_absolute_uri(reverse("stakeholder-input", args=[assessment.input_token]))


@actor_required
def assessment_detail(request, pk: int):
    actor = request.actor
    assessment = selectors.assessment_detail(actor, pk)
    draft = assessment.status == NeedsAssessment.Status.DRAFT
    can_change = access.can(actor, "change", assessment) and draft
    can_moderate = access.can(actor, "moderate", assessment)
    return render(
        request,
        "planning/assessment_detail.html",
        {
            "assessment": assessment,
            "priorities": selectors.priorities(actor, assessment),
            "can_change": can_change,
            "can_finalize": draft and access.can(actor, "finalize", assessment),
            "can_moderate": can_moderate,
            "counts": selectors.input_counts(assessment) if can_moderate else None,
            "input_url": _input_url(request, assessment) if can_change else "",
            "can_give_input": draft and access.can(actor, "give_input", assessment),
            "can_plan": access.can(actor, "create", PdPlan) and can_moderate,
            "priority_form": PriorityForm() if can_change else None,
        },
    )


def _draft_assessment_or_back(request, assessment: NeedsAssessment):
    if assessment.status != NeedsAssessment.Status.DRAFT:
        messages.error(request, "This needs assessment is final; it stays as it was decided.")
        return redirect(assessment.get_absolute_url())
    return None


@actor_required
def assessment_edit(request, pk: int):
    actor = request.actor
    assessment = selectors.assessment_detail(actor, pk)
    access.require(actor, "change", assessment)
    if back := _draft_assessment_or_back(request, assessment):
        return back
    return save_form(
        request,
        AssessmentForm(
            request.POST or None, instance=NeedsAssessment.objects.get(pk=pk), actor=actor
        ),
        lambda data: services.assessment_update(
            assessment=assessment, actor=request.user, data=data
        ),
        title=f"Edit {assessment}",
        cancel=assessment.get_absolute_url(),
        template=FORM,
    )


@require_POST
@actor_required
def assessment_finalize(request, pk: int):
    actor = request.actor
    assessment = selectors.assessment_detail(actor, pk)
    access.require(actor, "finalize", assessment)
    return transition(
        request,
        lambda: services.assessment_finalize(assessment=assessment, actor=request.user),
        assessment,
        done="Finalised. The input link is closed; staff of the school or program can read it.",
    )


@require_POST
@actor_required
def assessment_link(request, pk: int):
    actor = request.actor
    assessment = selectors.assessment_detail(actor, pk)
    access.require(actor, "change", assessment)
    form = LinkForm(request.POST)
    if not form.is_valid():
        return _bad_request(
            request, "Say whether to open, close or renew the link.", assessment.get_absolute_url()
        )
    action = form.cleaned_data["action"]
    opened = {"open": True, "close": False, "renew": assessment.input_open}[action]
    done = {
        "open": "The input link is open: share it with parents and the community.",
        "close": "The input link is closed; it now shows that input has closed.",
        "renew": "A new link replaces the old one, which no longer works.",
    }[action]
    return transition(
        request,
        lambda: services.assessment_input_link(
            assessment=assessment, actor=request.user, open=opened, renew=action == "renew"
        ),
        assessment,
        done=done,
    )


@actor_required
def priority_add(request, pk: int):
    actor = request.actor
    assessment = selectors.assessment_detail(actor, pk)
    access.require(actor, "change", assessment)
    if back := _draft_assessment_or_back(request, assessment):
        return back
    return save_form(
        request,
        PriorityForm(request.POST or None),
        lambda data: services.priority_add(assessment=assessment, actor=request.user, data=data),
        title=f"Add a priority to {assessment}",
        cancel=assessment.get_absolute_url(),
        template=FORM,
    )


def _priority(request, pk: int) -> Priority:
    actor = request.actor
    priority = access.get_visible_or_404(
        actor,
        Priority.objects.select_related(
            "assessment__school", "assessment__program", "assessment__school_year"
        ),
        pk=pk,
    )
    access.require(actor, "change", priority)
    return priority


@actor_required
def priority_edit(request, pk: int):
    priority = _priority(request, pk)
    if back := _draft_assessment_or_back(request, priority.assessment):
        return back
    return save_form(
        request,
        PriorityForm(request.POST or None, instance=Priority.objects.get(pk=pk)),
        lambda data: services.priority_update(priority=priority, actor=request.user, data=data),
        title=f"Edit priority {priority}",
        cancel=priority.get_absolute_url(),
        template=FORM,
    )


@require_POST
@actor_required
def priority_move(request, pk: int):
    """Move a priority up or down one place, or to a given rank."""
    priority = _priority(request, pk)
    back = priority.get_absolute_url()
    direction, raw = request.POST.get("direction", ""), request.POST.get("rank", "").strip()
    if direction in ("up", "down"):
        rank = priority.rank + (-1 if direction == "up" else 1)
        if rank < 1 or rank > priority.assessment.priorities.count():
            end = "first" if direction == "up" else "last"
            messages.info(request, f"“{priority.area}” is already {end}.")
            return redirect(back)
    elif raw:
        rank = parse_int(raw)
        if rank is None:
            return _bad_request(request, f"“{raw}” is not a rank; give a whole number.", back)
    else:
        return _bad_request(request, "Say whether to move the priority up or down.", back)
    try:
        services.priority_move(priority=priority, actor=request.user, rank=rank)
    except Conflict as exc:
        messages.error(request, refused(exc))
    except DomainError as exc:
        return _bad_request(request, refused(exc), back)
    else:
        messages.success(request, f"“{priority.area}” is now priority {priority.rank}.")
    return redirect(back)


@require_POST
@actor_required
def priority_remove(request, pk: int):
    priority = _priority(request, pk)
    return transition(
        request,
        lambda: services.priority_remove(priority=priority, actor=request.user),
        priority.assessment,
        done=f"Removed “{priority.area}”; the others moved up.",
    )


# --- stakeholder input -----------------------------------------------------------------------


@actor_required
def assessment_inputs(request, pk: int):
    """The moderation queue: accept or hide each input, and attach it to a priority."""
    actor = request.actor
    assessment = selectors.assessment_detail(actor, pk)
    access.require(actor, "moderate", assessment)
    filters, errors = _filters(
        request,
        {"status": StakeholderInput.Status.choices, "source": StakeholderInput.Source.choices},
    )
    return _list(
        request,
        "planning/input_list.html",
        selectors.input_list(actor, assessment, **filters),
        {
            "assessment": assessment,
            "filters": filters,
            "statuses": StakeholderInput.Status.choices,
            "sources": StakeholderInput.Source.choices,
            "priorities": list(assessment.priorities.order_by("rank", "id")),
            "counts": selectors.input_counts(assessment),
        },
        errors,
    )


@require_POST
@actor_required
def input_moderate(request, pk: int):
    actor = request.actor
    item = access.get_visible_or_404(
        actor, StakeholderInput.objects.select_related("assessment"), pk=pk
    )
    access.require(actor, "moderate", item)
    back = item.get_absolute_url()
    form = ModerateForm(request.POST, priorities=item.assessment.priorities.all())
    if not form.is_valid():
        reasons = "; ".join(" ".join(e) for e in form.errors.values())
        return _bad_request(request, f"Not saved: {reasons}", back)
    data = form.cleaned_data
    try:
        services.input_moderate(
            item=item, actor=request.user, status=data["status"], priority=data["priority"]
        )
    except DomainError as exc:
        return _bad_request(request, refused(exc), back)
    if item.status == StakeholderInput.Status.HIDDEN:
        messages.success(request, f"Hid input #{item.pk}.")
    elif item.priority:
        messages.success(request, f"Accepted input #{item.pk} for “{item.priority.area}”.")
    else:
        messages.success(request, f"Accepted input #{item.pk}.")
    return redirect(back)


@actor_required
def give_input(request, pk: int):
    """A staff member of the school or program says what staff should learn."""
    actor = request.actor
    assessment = selectors.assessment_for_input(actor, pk)
    if assessment is None:
        raise Http404
    form = StaffInputForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.input_submit_staff(
                assessment=assessment, staff=actor.staff, actor=request.user, data=form.cleaned_data
            )
        except (DomainError, ValidationError) as exc:
            form_error(form, exc)
        else:
            messages.success(request, "Thank you: your input went to the leaders who decide.")
            return redirect("needs-assessment-give-input", pk=assessment.pk)
    return render(
        request,
        "planning/give_input.html",
        {
            "assessment": assessment,
            "form": form,
            "open": assessment.status == NeedsAssessment.Status.DRAFT,
            "areas": assessment.priorities.order_by("rank", "id").values_list("area", flat=True),
            "mine": StakeholderInput.objects.filter(
                assessment=assessment, staff=actor.staff
            ).select_related("priority"),
        },
        status=400 if request.method == "POST" else 200,
    )


def _client_ip(request) -> str:
    # allauth reads X-Forwarded-For as far as TRUSTED_PROXY_COUNT allows, as for sign-in limits;
    # behind a proxy REMOTE_ADDR alone would put every parent under one sender's limit.
    try:
        return get_adapter(request).get_client_ip(request)
    except (PermissionDenied, ImproperlyConfigured):
        return request.META.get("REMOTE_ADDR") or ""


def stakeholder_input(request, token: str):
    """The public link: parents and community members give input without signing in. It shows
    only the school or program, its year and its priority areas."""
    with scopes_disabled():
        assessment = selectors.assessment_by_token(token)
    if assessment is None or not (
        assessment.input_open and assessment.status == NeedsAssessment.Status.DRAFT
    ):
        return _unavailable(request)
    with scope(district=assessment.district_id):
        return _stakeholder_input(request, assessment)


def _unavailable(request):
    response = render(request, "planning/input_unavailable.html", status=404)
    response["X-Robots-Tag"] = "noindex"
    return response


def _stakeholder_input(request, assessment: NeedsAssessment):
    context = {
        "assessment": assessment,
        "areas": list(assessment.priorities.order_by("rank", "id").values_list("area", flat=True)),
    }
    status = 200
    if request.method == "POST":
        form = PublicInputForm(request.POST)
        status = 400
        if form.is_valid():
            try:
                services.input_submit_public(
                    assessment=assessment, data=form.cleaned_data, client_ip=_client_ip(request)
                )
            except services.RateLimited as exc:
                form.add_error(None, exc.detail)
                status = exc.status
            except DomainError as exc:
                if exc.code == "input.closed":
                    return _unavailable(request)
                form_error(form, exc)
            else:
                sent = reverse("stakeholder-input", args=[assessment.input_token])
                return redirect(f"{sent}?sent=1")
    elif request.GET.get("sent"):
        form = None
        context["sent"] = True
    else:
        form = PublicInputForm()
    response = render(
        request, "planning/stakeholder_input.html", {**context, "form": form}, status=status
    )
    response["X-Robots-Tag"] = "noindex"
    response["Cache-Control"] = "no-store"
    return response


# --- PD plans --------------------------------------------------------------------------------


@actor_required
def pd_plan_list(request):
    actor = request.actor
    access.require(actor, "list", PdPlan)
    filters, errors = _filters(
        request,
        {"school": ID, "program": ID, "school_year": ID, "status": PdPlan.Status.choices},
    )
    return _list(
        request,
        "planning/pd_plan_list.html",
        selectors.pd_plan_list(actor, **filters),
        {
            **_units(actor),
            "filters": filters,
            "statuses": PdPlan.Status.choices,
            "can_create": access.can(actor, "create", PdPlan),
        },
        errors,
    )


def _links(data: dict) -> dict:
    return {
        "priorities": list(data.get("priorities") or []),
        "goals": list(data.get("goals") or []),
    }


@actor_required
def pd_plan_create(request):
    actor = request.actor
    access.require(actor, "create", PdPlan)
    form = PdPlanForm(
        request.POST or None, initial={"school_year": _current_year(actor)}, actor=actor
    )
    return save_form(
        request,
        form,
        lambda data: services.pd_plan_create(
            district=actor.district, actor=request.user, data=data, **_links(data)
        ),
        title="New PD plan",
        cancel=reverse("pd-plan-list"),
        template=FORM,
    )


EDITABLE = (PdPlan.Status.DRAFT, PdPlan.Status.RETURNED)


def _pd_plan_page(request, plan: PdPlan, return_form=None):
    actor = request.actor
    submitted = plan.status == PdPlan.Status.SUBMITTED
    can_decide = submitted and access.can(actor, "approve", plan)
    return render(
        request,
        "planning/pd_plan_detail.html",
        {
            "plan": plan,
            "can_change": plan.status in EDITABLE and access.can(actor, "change", plan),
            "can_submit": plan.status in EDITABLE and access.can(actor, "submit", plan),
            "can_decide": can_decide,
            "return_form": return_form or (ReturnForm() if can_decide else None),
        },
        status=400 if return_form is not None else 200,
    )


@actor_required
def pd_plan_detail(request, pk: int):
    return _pd_plan_page(request, selectors.pd_plan_detail(request.actor, pk))


@actor_required
def pd_plan_edit(request, pk: int):
    actor = request.actor
    plan = selectors.pd_plan_detail(actor, pk)
    access.require(actor, "change", plan)
    if plan.status not in EDITABLE:
        messages.error(
            request,
            f"This PD plan is {plan.get_status_display().lower()}; only a draft or a returned "
            "plan can change.",
        )
        return redirect(plan.get_absolute_url())
    return save_form(
        request,
        PdPlanForm(
            request.POST or None,
            instance=PdPlan.objects.select_related("school", "program", "school_year").get(pk=pk),
            actor=actor,
        ),
        lambda data: services.pd_plan_update(
            plan=plan, actor=request.user, data=data, **_links(data)
        ),
        title=f"Edit {plan}",
        cancel=plan.get_absolute_url(),
        template=FORM,
    )


def _pd_step(request, pk: int, action: str, service, done: str):
    actor = request.actor
    plan = selectors.pd_plan_detail(actor, pk)
    access.require(actor, action, plan)
    return transition(request, lambda: service(plan=plan, actor=request.user), plan, done=done)


@require_POST
@actor_required
def pd_plan_submit(request, pk: int):
    return _pd_step(
        request, pk, "submit", services.pd_plan_submit, "Submitted for the principal's approval."
    )


@require_POST
@actor_required
def pd_plan_approve(request, pk: int):
    return _pd_step(
        request, pk, "approve", services.pd_plan_approve, "Approved: staff can read the plan now."
    )


@require_POST
@actor_required
def pd_plan_return(request, pk: int):
    actor = request.actor
    plan = selectors.pd_plan_detail(actor, pk)
    access.require(actor, "return", plan)
    return act(
        request,
        plan,
        ReturnForm(request.POST),
        lambda data: services.pd_plan_return(
            plan=plan, actor=request.user, comment=data["comment"]
        ),
        done="Returned with your comment.",
        page=lambda form: _pd_plan_page(request, plan, return_form=form),
    )

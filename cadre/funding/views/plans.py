"""Program PD plan pages: the list, the plan with its activities and allocations (added and
removed while it is a draft), publishing, and acknowledgements by the staff it covers."""

from decimal import Decimal

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_POST

from cadre.core.views import actor_required, paginate, parse_bool, parse_int, save_form, transition
from cadre.districts import access
from cadre.districts.models import SchoolYear
from cadre.funding import selectors
from cadre.funding.forms import ActivityForm, AllocationForm, PlanForm
from cadre.funding.models import PlanActivity, PlanAllocation, ProgramPlan
from cadre.funding.services import plans as services


def _directed_programs(actor):
    return access.units(actor).programs


@actor_required
def plan_list(request):
    actor = request.actor
    access.require(actor, "list", ProgramPlan)
    qs = selectors.plan_list(
        actor,
        school_year=parse_int(request.GET.get("year")),
        program=parse_int(request.GET.get("program")),
    )
    return render(
        request,
        "funding/plan_list.html",
        {
            "page": paginate(request, qs),
            "years": SchoolYear.objects.filter(district=actor.district),
            "can_create": access.can(actor, "create", ProgramPlan),
        },
    )


@actor_required
def plan_create(request):
    actor = request.actor
    access.require(actor, "create", ProgramPlan)
    current = SchoolYear.objects.filter(district=actor.district, is_current=True).first()
    form = PlanForm(
        request.POST or None,
        initial={"school_year": current},
        district=actor.district,
        programs=_directed_programs(actor),
    )
    return save_form(
        request,
        form,
        lambda data: services.plan_create(district=actor.district, actor=request.user, data=data),
        title="New program PD plan",
        cancel=reverse("program-plan-list"),
    )


@actor_required
def plan_edit(request, pk: int):
    actor = request.actor
    plan = selectors.plan_detail(actor, pk)
    access.require(actor, "change", plan)
    if plan.status != ProgramPlan.Status.DRAFT:
        messages.error(request, "A published plan is final; it stays as it was shared.")
        return redirect(plan.get_absolute_url())
    form = PlanForm(
        request.POST or None,
        instance=ProgramPlan.objects.get(pk=pk),
        district=actor.district,
        programs=_directed_programs(actor),
    )
    return save_form(
        request,
        form,
        lambda data: services.plan_update(plan=plan, actor=request.user, data=data),
        title=f"Edit {plan}",
        cancel=plan.get_absolute_url(),
    )


@actor_required
def plan_detail(request, pk: int):
    actor = request.actor
    plan = selectors.plan_detail(actor, pk)
    can_change = access.can(actor, "change", plan) and plan.status == ProgramPlan.Status.DRAFT
    total = sum((a.amount for a in plan.allocations.all()), Decimal(0))
    return render(
        request,
        "funding/plan_detail.html",
        {
            "plan": plan,
            "total": total,
            "hours_total": sum((a.hours for a in plan.allocations.all()), Decimal(0)),
            "can_change": can_change,
            "can_publish": can_change and access.can(actor, "publish", plan),
            "can_acknowledge": access.can(actor, "acknowledge", plan),
            "acknowledged": plan.acknowledgements.filter(staff=actor.staff).first(),
            "can_see_acks": access.can(actor, "acknowledgements", plan),
            "activity_form": ActivityForm(prefix="activity") if can_change else None,
            "allocation_form": AllocationForm(prefix="allocation", district=actor.district)
            if can_change
            else None,
        },
    )


def _plan_item(request, pk: int, form, add, done: str):
    actor = request.actor
    plan = selectors.plan_detail(actor, pk)
    access.require(actor, "change", plan)
    if form.is_valid():
        return transition(request, lambda: add(plan, form.cleaned_data), plan, done=done)
    errors = "; ".join(f"{k}: {' '.join(v)}" for k, v in form.errors.items())
    messages.error(request, f"Not added. {errors}")
    return redirect(plan.get_absolute_url())


@require_POST
@actor_required
def plan_activity_add(request, pk: int):
    return _plan_item(
        request,
        pk,
        ActivityForm(request.POST, prefix="activity"),
        lambda plan, data: services.activity_add(plan=plan, actor=request.user, data=data),
        "Activity added.",
    )


@require_POST
@actor_required
def plan_allocation_add(request, pk: int):
    return _plan_item(
        request,
        pk,
        AllocationForm(request.POST, prefix="allocation", district=request.actor.district),
        lambda plan, data: services.allocation_add(plan=plan, actor=request.user, data=data),
        "Allocation added.",
    )


def _item_remove(request, model, pk: int):
    actor = request.actor
    item = model.objects.filter(district=actor.district, pk=pk).select_related("plan").first()
    if item is None:
        raise Http404
    plan = selectors.plan_detail(actor, item.plan_id)
    access.require(actor, "change", plan)
    return transition(
        request,
        lambda: services.plan_item_remove(plan=plan, actor=request.user, item=item),
        plan,
        done="Removed.",
    )


@require_POST
@actor_required
def plan_activity_remove(request, pk: int):
    return _item_remove(request, PlanActivity, pk)


@require_POST
@actor_required
def plan_allocation_remove(request, pk: int):
    return _item_remove(request, PlanAllocation, pk)


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
        done="Published: every staff member the program covers sees it on their home page.",
    )


@require_POST
@actor_required
def plan_acknowledge(request, pk: int):
    actor = request.actor
    plan = selectors.plan_detail(actor, pk)
    access.require(actor, "acknowledge", plan)
    services.plan_acknowledge(plan=plan, staff=actor.staff, actor=request.user)
    messages.success(request, f"Thank you: you have acknowledged {plan}.")
    back = request.POST.get("next")
    return redirect("home" if back == "home" else plan.get_absolute_url())


@actor_required
def plan_acknowledgements(request, pk: int):
    actor = request.actor
    plan = selectors.plan_detail(actor, pk)
    access.require(actor, "acknowledgements", plan)
    acknowledged = parse_bool(request.GET.get("acknowledged"))
    everyone = selectors.acknowledgement_status(plan, actor.today)
    return render(
        request,
        "funding/plan_acknowledgements.html",
        {
            "plan": plan,
            "page": paginate(
                request,
                selectors.acknowledgement_status(plan, actor.today, acknowledged=acknowledged),
            ),
            "covered": everyone.count(),
            "done": everyone.filter(acknowledged=True).count(),
            "acknowledged": acknowledged,
        },
    )


urls = [
    path("plans/", plan_list, name="program-plan-list"),
    path("plans/new/", plan_create, name="program-plan-create"),
    path("plans/<int:pk>/", plan_detail, name="program-plan-detail"),
    path("plans/<int:pk>/edit/", plan_edit, name="program-plan-edit"),
    path("plans/<int:pk>/activities/", plan_activity_add, name="program-plan-activity-add"),
    path(
        "plans/<int:pk>/allocations/",
        plan_allocation_add,
        name="program-plan-allocation-add",
    ),
    path(
        "plans/activities/<int:pk>/remove/",
        plan_activity_remove,
        name="program-plan-activity-remove",
    ),
    path(
        "plans/allocations/<int:pk>/remove/",
        plan_allocation_remove,
        name="program-plan-allocation-remove",
    ),
    path("plans/<int:pk>/publish/", plan_publish, name="program-plan-publish"),
    path("plans/<int:pk>/acknowledge/", plan_acknowledge, name="program-plan-acknowledge"),
    path(
        "plans/<int:pk>/acknowledgements/",
        plan_acknowledgements,
        name="program-plan-acknowledgements",
    ),
]

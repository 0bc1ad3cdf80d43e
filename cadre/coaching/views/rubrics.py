"""Rubric pages: the list, a rubric with its domains and components (four levels each), and
adding, editing and removing them."""

from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST

from cadre.coaching import selectors
from cadre.coaching.forms import DEFAULT_LABELS, ComponentForm, DomainForm, RubricForm
from cadre.coaching.models import Component, Domain, Level, Rubric
from cadre.coaching.services import rubrics as services
from cadre.core.views import actor_required, paginate, parse_bool, save_form, transition
from cadre.districts import access


@actor_required
def rubric_list(request):
    actor = request.actor
    access.require(actor, "list", Rubric)
    active = parse_bool(request.GET.get("active"))
    return render(
        request,
        "coaching/rubric_list.html",
        {
            "page": paginate(request, selectors.rubrics(actor, active=active)),
            "active": active,
            "can_create": access.can(actor, "create", Rubric),
        },
    )


@actor_required
def rubric_create(request):
    actor = request.actor
    access.require(actor, "create", Rubric)
    form = RubricForm(request.POST or None)
    return save_form(
        request,
        form,
        lambda data: _to_edit(
            services.rubric_create(district=actor.district, actor=request.user, data=data)
        ),
        title="Add a rubric",
        cancel=reverse("rubric-list"),
        template="coaching/form.html",
        extra={"intro": "Next you add its domains and components, each with four levels."},
    )


def _to_edit(rubric: Rubric) -> Rubric:
    rubric.get_absolute_url = lambda: reverse("rubric-edit", args=[rubric.pk])
    return rubric


@actor_required
def rubric_detail(request, pk: int):
    actor = request.actor
    rubric = selectors.rubric_detail(actor, pk)
    return render(
        request,
        "coaching/rubric_detail.html",
        {
            "rubric": rubric,
            "in_use": services.rubric_in_use(rubric),
            "can_change": access.can(actor, "change", rubric),
        },
    )


@actor_required
def rubric_edit(request, pk: int):
    actor = request.actor
    rubric = selectors.rubric_detail(actor, pk)
    access.require(actor, "change", rubric)
    form = RubricForm(
        request.POST or None,
        initial={name: getattr(rubric, name) for name in services.RUBRIC_FIELDS},
    )
    return save_form(
        request,
        form,
        lambda data: services.rubric_update(rubric=rubric, actor=request.user, data=data),
        title=f"Edit {rubric.name}",
        cancel=rubric.get_absolute_url(),
        template="coaching/rubric_edit.html",
        extra={"rubric": rubric, "in_use": services.rubric_in_use(rubric)},
    )


def _domain(actor, pk):
    return access.get_visible_or_404(actor, Domain.objects.select_related("rubric"), pk=pk)


def _component(actor, pk):
    return access.get_visible_or_404(
        actor, Component.objects.select_related("domain__rubric"), pk=pk
    )


@actor_required
def domain_create(request, pk: int):
    actor = request.actor
    rubric = selectors.rubric_detail(actor, pk)
    access.require(actor, "change", rubric)
    return save_form(
        request,
        DomainForm(request.POST or None),
        lambda data: services.domain_create(rubric=rubric, actor=request.user, data=data),
        title=f"Add a domain to {rubric.name}",
        cancel=reverse("rubric-edit", args=[rubric.pk]),
        template="coaching/form.html",
    )


@actor_required
def domain_edit(request, pk: int):
    actor = request.actor
    domain = _domain(actor, pk)
    access.require(actor, "change", domain)
    form = DomainForm(request.POST or None, initial={"number": domain.number, "name": domain.name})
    return save_form(
        request,
        form,
        lambda data: services.domain_update(
            domain=domain,
            actor=request.user,
            data={k: v for k, v in data.items() if v is not None},
        ),
        title=f"Edit domain {domain}",
        cancel=reverse("rubric-edit", args=[domain.rubric_id]),
        template="coaching/form.html",
    )


@require_POST
@actor_required
def domain_delete(request, pk: int):
    actor = request.actor
    domain = _domain(actor, pk)
    access.require(actor, "delete", domain)
    return transition(
        request,
        lambda: services.domain_delete(domain=domain, actor=request.user),
        done=f"Domain {domain} removed.",
        to=reverse("rubric-edit", args=[domain.rubric_id]),
    )


def _labels(rubric: Rubric) -> dict:
    found = dict(
        Level.objects.filter(component__domain__rubric=rubric)
        .order_by("component_id", "level")
        .values_list("level", "label")[:4]
    )
    return {f"level_{n}_label": found.get(n, DEFAULT_LABELS[n - 1]) for n in (1, 2, 3, 4)}


@actor_required
def component_create(request, pk: int):
    actor = request.actor
    domain = _domain(actor, pk)
    access.require(actor, "change", domain)
    form = ComponentForm(request.POST or None, initial=_labels(domain.rubric))
    return save_form(
        request,
        form,
        lambda data: services.component_create(
            domain=domain, actor=request.user, data=form.data_fields(), levels=form.levels()
        ),
        title=f"Add a component to {domain}",
        cancel=reverse("rubric-edit", args=[domain.rubric_id]),
        template="coaching/component_form.html",
    )


@actor_required
def component_edit(request, pk: int):
    actor = request.actor
    component = _component(actor, pk)
    access.require(actor, "change", component)
    initial = {"code": component.code, "name": component.name}
    for lv in component.levels.all():
        initial[f"level_{lv.level}_label"] = lv.label
        initial[f"level_{lv.level}_descriptor"] = lv.descriptor
    form = ComponentForm(request.POST or None, initial=initial)
    return save_form(
        request,
        form,
        lambda data: services.component_update(
            component=component, actor=request.user, data=form.data_fields(), levels=form.levels()
        ),
        title=f"Edit component {component}",
        cancel=reverse("rubric-edit", args=[component.domain.rubric_id]),
        template="coaching/component_form.html",
    )


@require_POST
@actor_required
def component_delete(request, pk: int):
    actor = request.actor
    component = _component(actor, pk)
    access.require(actor, "delete", component)
    return transition(
        request,
        lambda: services.component_delete(component=component, actor=request.user),
        done=f"Component {component} removed.",
        to=reverse("rubric-edit", args=[component.domain.rubric_id]),
    )

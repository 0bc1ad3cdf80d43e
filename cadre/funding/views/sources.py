"""Funding source pages: the list, one source with its budgets, and the create and edit forms."""

from django.shortcuts import render
from django.urls import path, reverse

from cadre.core.views import actor_required, paginate, parse_bool, parse_choice, save_form
from cadre.districts import access
from cadre.funding import selectors
from cadre.funding.forms import SourceForm
from cadre.funding.models import FundingSource
from cadre.funding.services import budgets as services


@actor_required
def source_list(request):
    actor = request.actor
    access.require(actor, "list", FundingSource)
    kind = parse_choice(request.GET.get("kind"), FundingSource.Kind.choices)
    qs = selectors.source_list(
        actor,
        q=request.GET.get("q", "").strip(),
        kind=kind,
        active=parse_bool(request.GET.get("active", "1")),
    )
    return render(
        request,
        "funding/source_list.html",
        {
            "page": paginate(request, qs),
            "kinds": FundingSource.Kind.choices,
            "can_create": access.can(actor, "create", FundingSource),
        },
    )


@actor_required
def source_detail(request, pk: int):
    actor = request.actor
    source = access.get_visible_or_404(
        actor, FundingSource.objects.select_related("school", "program"), pk=pk
    )
    budgets = selectors.budget_list(actor, source=source.pk)
    return render(
        request,
        "funding/source_detail.html",
        {
            "source": source,
            "page": paginate(request, budgets),
            "can_change": access.can(actor, "change", source),
        },
    )


@actor_required
def source_create(request):
    actor = request.actor
    access.require(actor, "create", FundingSource)
    return save_form(
        request,
        SourceForm(request.POST or None, district=actor.district),
        lambda data: services.source_create(district=actor.district, actor=request.user, data=data),
        title="New funding source",
        cancel=reverse("funding-source-list"),
    )


@actor_required
def source_edit(request, pk: int):
    actor = request.actor
    source = access.get_visible_or_404(actor, FundingSource, pk=pk)
    access.require(actor, "change", source)
    return save_form(
        request,
        SourceForm(
            request.POST or None, instance=FundingSource.objects.get(pk=pk), district=actor.district
        ),
        lambda data: services.source_update(source=source, actor=request.user, data=data),
        title=f"Edit {source}",
        cancel=source.get_absolute_url(),
    )


urls = [
    path("sources/", source_list, name="funding-source-list"),
    path("sources/new/", source_create, name="funding-source-create"),
    path("sources/<int:pk>/", source_detail, name="funding-source-detail"),
    path("sources/<int:pk>/edit/", source_edit, name="funding-source-edit"),
]

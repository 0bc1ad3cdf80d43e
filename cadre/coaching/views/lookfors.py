"""Look-for checklist pages: the list, a checklist, and its items, which are added, reworded,
moved, retired or removed."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from cadre.coaching import selectors
from cadre.coaching.forms import ItemForm, LookForForm
from cadre.coaching.models import LookFor, LookForItem, Observation
from cadre.coaching.services import lookfors as services
from cadre.coaching.views.common import _offerings
from cadre.core.errors import DomainError
from cadre.core.views import (
    actor_required,
    form_error,
    paginate,
    parse_bool,
    parse_int,
    parse_text,
    refused,
    save_form,
)
from cadre.districts import access


@actor_required
def look_for_list(request):
    actor = request.actor
    access.require(actor, "list", LookFor)
    active = parse_bool(request.GET.get("active"))
    q = parse_text(request.GET.get("q"), 100)
    return render(
        request,
        "coaching/look_for_list.html",
        {
            "page": paginate(request, selectors.look_fors(actor, active=active, q=q)),
            "active": active,
            "q": q,
            "can_create": access.can(actor, "create", LookFor),
        },
    )


@actor_required
def look_for_create(request):
    actor = request.actor
    access.require(actor, "create", LookFor)
    form = LookForForm(
        request.POST or None,
        offerings=_offerings(actor),
        initial={"offering": parse_int(request.GET.get("offering"))},
    )
    return save_form(
        request,
        form,
        lambda data: services.look_for_create(
            district=actor.district,
            actor=request.user,
            data=form.data_fields(),
            items=form.item_lines(),
        ),
        title="Add a look-for checklist",
        cancel=reverse("look-for-list"),
        template="coaching/form.html",
        extra={
            "intro": "Say what implementation of a strategy looks like in a classroom: "
            "each item is marked seen or not seen in a walkthrough."
        },
    )


@actor_required
def look_for_detail(request, pk: int):
    actor = request.actor
    look_for = selectors.look_for_detail(actor, pk)
    return render(
        request,
        "coaching/look_for_detail.html",
        {
            "look_for": look_for,
            "can_change": access.can(actor, "change", look_for),
            "walks_through": look_for.is_active and access.can(actor, "walkthrough", Observation),
        },
    )


def _look_for_edit_page(request, look_for, form, *, add_form=None, status: int = 200):
    return render(
        request,
        "coaching/look_for_edit.html",
        {
            "look_for": look_for,
            "form": form,
            "add_form": add_form or ItemForm(auto_id="add_%s"),
            "title": f"Edit {look_for.title}",
            "cancel": look_for.get_absolute_url(),
        },
        status=status,
    )


@actor_required
def look_for_edit(request, pk: int):
    actor = request.actor
    look_for = selectors.look_for_detail(actor, pk)
    access.require(actor, "change", look_for)
    form = LookForForm(
        request.POST or None,
        offerings=_offerings(actor),
        with_items=False,
        initial={name: getattr(look_for, name) for name in services.LOOK_FOR_FIELDS},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.look_for_update(look_for=look_for, actor=request.user, data=form.data_fields())
        except (DomainError, ValidationError) as exc:
            form_error(form, exc)
        else:
            messages.success(request, f"Saved {look_for.title}.")
            return redirect(look_for.get_absolute_url())
    return _look_for_edit_page(
        request, look_for, form, status=400 if request.method == "POST" else 200
    )


def _item(actor, pk):
    return access.get_visible_or_404(
        actor, LookForItem.objects.select_related("look_for", "district"), pk=pk
    )


@require_POST
@actor_required
def look_for_item_add(request, pk: int):
    actor = request.actor
    look_for = selectors.look_for_detail(actor, pk)
    access.require(actor, "change", look_for)
    form = ItemForm(request.POST, auto_id="add_%s")
    if form.is_valid():
        try:
            services.look_for_item_add(
                look_for=look_for,
                actor=request.user,
                text=form.cleaned_data["text"],
            )
        except DomainError as exc:
            form.add_error("text", refused(exc))
        else:
            messages.success(request, "Item added.")
            return redirect("look-for-edit", look_for.pk)
    edit_form = LookForForm(
        offerings=_offerings(actor),
        with_items=False,
        initial={name: getattr(look_for, name) for name in services.LOOK_FOR_FIELDS},
    )
    return _look_for_edit_page(request, look_for, edit_form, add_form=form, status=400)


@require_POST
@actor_required
def look_for_item_edit(request, pk: int):
    actor = request.actor
    item = _item(actor, pk)
    access.require(actor, "change", item)
    restore = parse_bool(request.POST.get("restore"))
    form = ItemForm(request.POST)
    try:
        if restore:
            services.look_for_item_update(item=item, actor=request.user, is_active=True)
            messages.success(request, f"“{item.text}” is back in use.")
        elif form.is_valid():
            services.look_for_item_update(
                item=item, actor=request.user, text=form.cleaned_data["text"]
            )
            messages.success(request, "Item saved.")
        else:
            messages.error(request, "Write the item (300 characters at most).")
    except DomainError as exc:
        messages.error(request, refused(exc))
    return redirect("look-for-edit", item.look_for_id)


@require_POST
@actor_required
def look_for_item_move(request, pk: int):
    actor = request.actor
    item = _item(actor, pk)
    access.require(actor, "change", item)
    direction = request.POST.get("direction")
    if direction not in ("up", "down"):
        messages.error(request, "Move the item up or down.")
    else:
        services.look_for_item_move(item=item, actor=request.user, up=direction == "up")
    return redirect(f"{reverse('look-for-edit', args=[item.look_for_id])}#item-{item.pk}")


@require_POST
@actor_required
def look_for_item_remove(request, pk: int):
    actor = request.actor
    item = _item(actor, pk)
    access.require(actor, "delete", item)
    kept = services.look_for_item_remove(item=item, actor=request.user)
    messages.success(
        request,
        f"“{item.text}” was marked in observations, so it is kept for them and retired."
        if kept
        else f"“{item.text}” removed.",
    )
    return redirect("look-for-edit", item.look_for_id)

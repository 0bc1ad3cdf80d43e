"""Check-in pages: logging and editing a school leader's check-in, its page, and the school
view of each group's last check-in."""

from django.shortcuts import render

from cadre.collaboration import selectors
from cadre.collaboration.forms import CheckInForm
from cadre.collaboration.models import Group
from cadre.collaboration.services import check_ins as services
from cadre.collaboration.views.common import _closed, _years
from cadre.core.views import actor_required, paginate, parse_int, save_form
from cadre.districts import access
from cadre.growth.selectors import history


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
        lambda data: services.check_in_create(
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
    initial = {name: getattr(check_in, name) for name in services.CHECK_IN_FIELDS}
    return save_form(
        request,
        CheckInForm(request.POST or None, initial=initial),
        lambda data: services.check_in_update(check_in=check_in, actor=request.user, data=data),
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

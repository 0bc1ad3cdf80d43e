from datetime import datetime, time

from django.shortcuts import render
from django.utils import timezone
from django.utils.dateparse import parse_date

from cadre.audit import selectors
from cadre.audit.models import AuditEvent
from cadre.core.views import actor_required, paginate, parse_text
from cadre.districts import access


def _date(value):
    try:
        return parse_date(value or "")
    except ValueError:
        return None


@actor_required
def event_list(request):
    actor = request.actor
    access.require(actor, "list", AuditEvent)
    get = request.GET
    qs = access.visible(actor, AuditEvent)
    if get.get("action") in AuditEvent.Action.values:
        qs = qs.filter(action=get["action"])
    if kind := parse_text(get.get("type")):
        qs = qs.filter(object_type=kind)
    if q := parse_text(get.get("q")):
        qs = qs.filter(object_repr__icontains=q)
    if who := parse_text(get.get("actor")):
        qs = qs.filter(actor_name__icontains=who)
    if obj := parse_text(get.get("object")):
        qs = qs.filter(object_id=obj)
    tz = timezone.get_current_timezone()
    start, end = _date(get.get("from")), _date(get.get("to"))
    if start:
        qs = qs.filter(at__gte=datetime.combine(start, time.min, tz))
    if end:
        qs = qs.filter(at__lte=datetime.combine(end, time.max, tz))
    types = (
        access.visible(actor, AuditEvent)
        .order_by("object_type")
        .values_list("object_type", flat=True)
        .distinct()
    )
    page = paginate(request, qs)
    return render(
        request,
        "audit/event_list.html",
        {
            "page": page,
            "entries": selectors.entries(page),
            "actions": AuditEvent.Action.choices,
            "types": sorted(((t, selectors.type_label(t)) for t in types), key=lambda t: t[1]),
            "filters": get,
        },
    )

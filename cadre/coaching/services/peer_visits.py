"""Writes for peer visits (learning walks): a teacher asks to visit a colleague's classroom,
the host accepts or declines, and the visitor may cancel; the visit's peer observation is
recorded in `observations`."""

from datetime import date

from django.db import transaction

from cadre.audit.models import AuditEvent
from cadre.audit.services import audit_event
from cadre.coaching.models import Observation, Visit
from cadre.coaching.services.common import VISIT_AUDITED, _check_may, _text
from cadre.core.errors import Conflict, DomainError
from cadre.core.trail import diff, snapshot
from cadre.core.workflow import lock, move
from cadre.districts.models import District, Staff
from cadre.districts.services import _check_same_district

Status = Observation.Status
VisitStatus = Visit.Status


@transaction.atomic
def visit_request(
    *,
    district: District,
    actor,
    visitor: Staff,
    host: Staff,
    on: date,
    focus: str,
    period: str = "",
) -> Visit:
    """Ask to visit a colleague's classroom (a learning walk) on a day, in a period, with a
    focus. The host accepts or declines."""
    _check_same_district(district, visitor, host)
    if host.pk == visitor.pk:
        raise DomainError("visit.self", "Choose a colleague's classroom.", field="host")
    if not host.is_active:
        raise DomainError("visit.inactive", f"{host} is not active.", field="host")
    if on is None or on < district.today():
        raise DomainError("visit.past", "Propose today or a later day.", field="on")
    focus = _text(focus, field="focus", limit=300)
    if not focus:
        raise DomainError("visit.focus_required", "Say what you hope to see.", field="focus")
    visit = Visit(
        district=district,
        visitor=visitor,
        host=host,
        on=on,
        period=_text(period, field="period", limit=100),
        focus=focus,
    )
    visit.full_clean(exclude=["district"])
    visit.save()
    audit_event(
        district=district,
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=visit,
        changes=diff({}, snapshot(visit, VISIT_AUDITED)),
        to_state=visit.status,
    )
    return visit


@transaction.atomic
def visit_respond(*, visit: Visit, actor, accept: bool, response: str = "") -> Visit:
    """The host accepts or declines a requested visit, with an optional response."""
    locked = lock(
        visit, VisitStatus.REQUESTED, code="visit.answered", verb="answer", related=("host",)
    )
    _check_may(actor, "respond", locked, "visit.not_host", "The host answers the request.")
    return move(
        locked,
        actor=actor,
        to=VisitStatus.ACCEPTED if accept else VisitStatus.DECLINED,
        response=_text(response, field="response", limit=2000),
    )


@transaction.atomic
def visit_cancel(*, visit: Visit, actor) -> Visit:
    """The visitor withdraws a requested or accepted visit before its observation is shared."""
    locked = lock(
        visit,
        VisitStatus.REQUESTED,
        VisitStatus.ACCEPTED,
        code="visit.not_open",
        verb="cancel",
        related=("visitor",),
    )
    _check_may(actor, "cancel", locked, "visit.not_visitor", "The visitor cancels the visit.")
    if locked.observation_id and locked.observation.status != Status.DRAFT:
        raise Conflict("visit.observed", "The observation of this visit is already shared.")
    return move(locked, actor=actor, to=VisitStatus.CANCELLED)

"""Writes for focus areas, partners (with contacts and agreements), offerings, sessions and
their meetings.

`actor` is the access `Actor` (the services check who owns an offering with `actor.leads()`);
a plain user is accepted too and turned into its actor. Audit events name `actor.user`.
Publishing, archiving and cancelling are workflow transitions (`lock`, `move`). Every meeting
change recomputes its session's first start, last end and credited minutes (`_resum`).
"""

from datetime import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from cadre.audit.models import AuditEvent
from cadre.audit.services import audit_event
from cadre.catalog import rules
from cadre.catalog.models import (
    DEFAULT_FOCUS_AREAS,
    CreditKind,
    FocusArea,
    Meeting,
    Offering,
    Partner,
    PartnerAgreement,
    PartnerContact,
    Registration,
    Session,
)
from cadre.core import trail
from cadre.core.errors import Conflict, DomainError
from cadre.core.trail import diff, snapshot
from cadre.core.workflow import (
    audited_create,
    audited_links,
    audited_update,
    known_keys,
    lock,
    move,
    validate,
)
from cadre.districts.access import Actor, actor_for
from cadre.districts.models import District, Role, SchoolYear
from cadre.districts.services import _check_same_district, _create
from cadre.funding.models import Use
from cadre.planning.models import StrategicPlan

ZERO = Decimal(0)
OfferingStatus = Offering.Status
SessionStatus = Session.Status


def _as_actor(actor) -> Actor:
    if isinstance(actor, Actor):
        return actor
    found = actor_for(actor)
    if found is None:
        raise PermissionDenied("An active staff record is required.")
    return found


def _text(data: dict[str, Any], name: str) -> str:
    return (data.get(name) or "").strip()


# --- focus areas -----------------------------------------------------------------------------


@transaction.atomic
def focus_areas_ensure(district: District) -> list[FocusArea]:
    """The district's focus areas, starting it with `DEFAULT_FOCUS_AREAS` when it has none."""
    if not FocusArea.objects.filter(district=district).exists():
        FocusArea.objects.bulk_create(
            [FocusArea(district=district, name=name) for name in DEFAULT_FOCUS_AREAS],
            ignore_conflicts=True,
        )
    return list(FocusArea.objects.filter(district=district))


def _focus_name(district: District, data: dict[str, Any], pk=None) -> str:
    name = _text(data, "name")
    if not name:
        raise DomainError("focus_area.name", "Name the focus area.", field="name")
    taken = FocusArea.objects.filter(district=district, name__iexact=name).exclude(pk=pk)
    if taken.exists():
        raise DomainError(
            "focus_area.duplicate", f"There is already a focus area “{name}”.", field="name"
        )
    return name


@transaction.atomic
def focus_area_create(*, district: District, actor, data: dict[str, Any]) -> FocusArea:
    actor = _as_actor(actor)
    name = _focus_name(district, data)
    return _create(
        FocusArea,
        district=district,
        actor=actor.user,
        fields=["name", "is_active"],
        data={"name": name, "is_active": data.get("is_active", True)},
    )


@transaction.atomic
def focus_area_update(*, focus_area: FocusArea, actor, data: dict[str, Any]) -> FocusArea:
    """Rename or (de)activate. A deactivated focus area stays on the offerings that have it
    and is no longer offered for new ones."""
    actor = _as_actor(actor)
    clean = {}
    if "name" in data:
        clean["name"] = _focus_name(focus_area.district, data, focus_area.pk)
    if "is_active" in data:
        clean["is_active"] = bool(data["is_active"])
    return audited_update(focus_area, actor=actor.user, fields=["name", "is_active"], data=clean)


# --- partners, contacts and agreements -------------------------------------------------------

PARTNER_FIELDS = ["name", "kind", "website", "description", "is_active"]
CONTACT_FIELDS = ["name", "title", "email", "phone"]
AGREEMENT_FIELDS = ["title", "start_date", "end_date", "scope", "cost", "credit_kind", "credits"]


def _partner_name(district: District, data: dict[str, Any], pk=None) -> str:
    name = _text(data, "name")
    if not name:
        raise DomainError("partner.name", "Name the partner.", field="name")
    if Partner.objects.filter(district=district, name__iexact=name).exclude(pk=pk).exists():
        raise DomainError(
            "partner.duplicate", f"There is already a partner called “{name}”.", field="name"
        )
    return name


@transaction.atomic
def partner_create(*, district: District, actor, data: dict[str, Any]) -> Partner:
    actor = _as_actor(actor)
    clean = {k: v for k, v in data.items() if k in PARTNER_FIELDS}
    clean["name"] = _partner_name(district, data)
    clean.setdefault("is_active", True)
    return _create(Partner, district=district, actor=actor.user, fields=PARTNER_FIELDS, data=clean)


@transaction.atomic
def partner_update(*, partner: Partner, actor, data: dict[str, Any]) -> Partner:
    actor = _as_actor(actor)
    clean = {k: v for k, v in data.items() if k in PARTNER_FIELDS}
    if "name" in data:
        clean["name"] = _partner_name(partner.district, data, partner.pk)
    return audited_update(partner, actor=actor.user, fields=PARTNER_FIELDS, data=clean)


def _contact_clean(data: dict[str, Any]) -> dict[str, Any]:
    clean = {k: (data.get(k) or "").strip() for k in CONTACT_FIELDS if k in data}
    if "name" in clean and not clean["name"]:
        raise DomainError("contact.name", "Name the contact.", field="name")
    return clean


@transaction.atomic
def contact_create(*, partner: Partner, actor, data: dict[str, Any]) -> PartnerContact:
    actor = _as_actor(actor)
    clean = _contact_clean({"name": "", **data})
    contact = PartnerContact(district=partner.district, partner=partner, **clean)
    audited_create(
        contact, actor=actor.user, audited=CONTACT_FIELDS, exclude=["district", "partner"]
    )
    return contact


@transaction.atomic
def contact_update(*, contact: PartnerContact, actor, data: dict[str, Any]) -> PartnerContact:
    actor = _as_actor(actor)
    return audited_update(
        contact, actor=actor.user, fields=CONTACT_FIELDS, data=_contact_clean(data)
    )


@transaction.atomic
def contact_delete(*, contact: PartnerContact, actor) -> None:
    actor = _as_actor(actor)
    audit_event(
        district=contact.district,
        actor=actor.user,
        action=AuditEvent.Action.DELETE,
        obj=contact,
        changes=diff(snapshot(contact, CONTACT_FIELDS), {}),
    )
    contact.delete()


def _agreement_check(agreement: PartnerAgreement) -> None:
    if not (agreement.title or "").strip():
        raise DomainError("agreement.title", "Name the agreement.", field="title")
    if agreement.start_date and agreement.end_date and agreement.end_date < agreement.start_date:
        raise DomainError(
            "agreement.dates", "The agreement ends on or after its start.", field="end_date"
        )
    _check_credit(agreement.credit_kind, agreement.credits)


@transaction.atomic
def agreement_create(*, partner: Partner, actor, data: dict[str, Any]) -> PartnerAgreement:
    actor = _as_actor(actor)
    clean = {k: v for k, v in data.items() if k in AGREEMENT_FIELDS}
    clean["title"] = _text(data, "title")
    for name, default in (("cost", ZERO), ("credits", ZERO), ("credit_kind", "")):
        if clean.get(name) is None:
            clean[name] = default
    agreement = PartnerAgreement(district=partner.district, partner=partner, **clean)
    audited_create(
        agreement,
        actor=actor.user,
        audited=AGREEMENT_FIELDS,
        check=_agreement_check,
        exclude=["district", "partner"],
    )
    return agreement


@transaction.atomic
def agreement_update(
    *, agreement: PartnerAgreement, actor, data: dict[str, Any]
) -> PartnerAgreement:
    actor = _as_actor(actor)
    clean = {k: v for k, v in data.items() if k in AGREEMENT_FIELDS}
    if "title" in data:
        clean["title"] = _text(data, "title")
    for name in ("cost", "credits"):
        if name in clean and clean[name] is None:
            clean[name] = ZERO
    if "credit_kind" in clean and clean["credit_kind"] is None:
        clean["credit_kind"] = ""
    return audited_update(
        agreement,
        actor=actor.user,
        fields=AGREEMENT_FIELDS,
        data=clean,
        check=_agreement_check,
        exclude=["district", "partner"],
    )


# --- offerings -------------------------------------------------------------------------------

OFFERING_FIELDS = [
    "title",
    "description",
    "format",
    "structure",
    "roles",
    "subjects",
    "grade_bands",
    "partner",
    "cost",
    "source",
    "substitute_days",
    "approval",
    "capacity",
    "category",
    "credit_kind",
    "credits",
    "min_attendance_percent",
    "completion_rules",
]
OFFERING_LINKS = ["focus_areas", "schools", "programs", "goals", "facilitators"]
DEFAULTS = {
    "description": "",
    "roles": [],
    "subjects": [],
    "grade_bands": [],
    "cost": ZERO,
    "substitute_days": ZERO,
    "approval": Offering.Approval.NONE,
    "category": "general",
    "credit_kind": "",
    "credits": ZERO,
    "completion_rules": [],
}


def completion_rule_choices() -> list[tuple[str, str]]:
    """The completion rules an offering may name, from the registry when it is there."""
    try:
        from cadre.catalog import completion
    except ImportError:
        return [("attendance", "Minimum share of minutes attended")]
    if hasattr(completion, "rule_choices"):
        return list(completion.rule_choices())
    return [(name, getattr(rule, "label", name)) for name, rule in completion.RULES.items()]


def _check_credit(kind: str, credits) -> None:
    credits = credits or ZERO
    if kind and kind not in CreditKind.values:
        raise DomainError("credit.kind", "Choose quarter or semester credits.", field="credit_kind")
    if kind and credits <= 0:
        raise DomainError(
            "credit.missing", "Give the number of university credits.", field="credits"
        )
    if not kind and credits > 0:
        raise DomainError(
            "credit.kind_missing",
            "Say whether the credits are quarter or semester credits.",
            field="credit_kind",
        )


def _list(values, *, field: str) -> list[str]:
    if values in (None, ""):
        return []
    if not isinstance(values, list | tuple):
        raise DomainError(f"offering.{field}", "Give a list.", field=field)
    seen: list[str] = []
    for value in values:
        text = str(value).strip()
        if text and text.lower() not in {s.lower() for s in seen}:
            seen.append(text[:100])
    return seen


def _check_owner(actor: Actor, school, program) -> None:
    if school is not None and program is not None:
        raise DomainError(
            "offering.one_owner", "An offering belongs to a school or a program, not both.",
            field="owner",
        )  # fmt: skip
    if school is None and program is None:
        ok = actor.is_district_admin
    else:
        ok = actor.leads(getattr(school, "pk", None), getattr(program, "pk", None))
    if not ok:
        raise DomainError(
            "offering.owner",
            "You may create offerings for the district only as its administrator, and for a "
            "school or program only as its leader.",
            field="owner",
        )


def _check_offering(offering: Offering, links: dict[str, list | None]) -> None:
    """Every rule an offering's fields follow, on the offering as it would be saved."""
    district = offering.district
    if not (offering.title or "").strip():
        raise DomainError("offering.title", "Give the offering a title.", field="title")
    bad_roles = [r for r in offering.roles if r not in Role.values]
    if bad_roles:
        raise DomainError("offering.roles", f"Unknown role: {', '.join(bad_roles)}.", field="roles")
    _check_same_district(district, offering.partner, offering.source)
    source = offering.source
    if source is not None and Use.REGISTRATION not in (source.allowed_uses or []):
        raise DomainError(
            "offering.source_use",
            f"{source} does not pay registration fees; choose a source that does.",
            field="source",
        )
    pays_days = source is not None and Use.SUBSTITUTE in (source.allowed_uses or [])
    if (offering.substitute_days or ZERO) > 0 and not pays_days:
        raise DomainError(
            "offering.substitute_source",
            "Substitute days are paid by the offering's source, which must allow "
            "substitute coverage.",
            field="substitute_days",
        )
    _check_credit(offering.credit_kind, offering.credits)
    known = {name for name, _ in completion_rule_choices()}
    unknown = [n for n in offering.completion_rules if n not in known]
    if unknown:
        raise DomainError(
            "offering.completion_rule",
            f"Unknown completion rule: {', '.join(unknown)}.",
            field="completion_rules",
        )
    for rows in links.values():
        for row in rows or []:
            _check_same_district(district, row)
    for staff in links.get("facilitators") or []:
        if not staff.is_active:
            raise DomainError(
                "offering.facilitator_inactive",
                f"{staff.full_name} is not active.",
                field="facilitators",
            )
    goals = links.get("goals") or []
    if goals:
        fresh = type(goals[0]).objects.select_related("plan").filter(pk__in=[g.pk for g in goals])
        for goal in fresh:
            plan = goal.plan
            ours = (
                plan.level == StrategicPlan.Level.DISTRICT
                or (plan.school_id and plan.school_id == offering.school_id)
                or (plan.program_id and plan.program_id == offering.program_id)
            )
            if plan.status != StrategicPlan.Status.PUBLISHED or not ours:
                raise DomainError(
                    "offering.goal_invalid",
                    f"{goal} is not a published goal of the district or of the offering's owner.",
                    field="goals",
                )


def _offering_values(data: dict[str, Any]) -> dict[str, Any]:
    clean = {k: v for k, v in data.items() if k in OFFERING_FIELDS}
    if "title" in clean:
        clean["title"] = _text(data, "title")
    if "description" in clean:
        clean["description"] = (clean["description"] or "").strip()
    for name in ("roles", "subjects", "grade_bands", "completion_rules"):
        if name in clean:
            clean[name] = _list(clean[name], field=name)
    for name in ("cost", "substitute_days", "credits"):
        if name in clean and clean[name] is None:
            clean[name] = ZERO
    if "credit_kind" in clean and clean["credit_kind"] is None:
        clean["credit_kind"] = ""
    return clean


def _links(data: dict[str, Any]) -> dict[str, list | None]:
    return {
        name: (list(data[name]) if data.get(name) is not None else None) for name in OFFERING_LINKS
    }


@transaction.atomic
def offering_create(*, district: District, actor, data: dict[str, Any]) -> Offering:
    """A draft offering owned by the district, or by the school or program in `data` (which
    the actor must lead)."""
    actor = _as_actor(actor)
    school, program = data.get("school"), data.get("program")
    _check_same_district(district, school, program)
    _check_owner(actor, school, program)
    if not FocusArea.objects.filter(district=district).exists():  # one query once started
        focus_areas_ensure(district)
    values = {**DEFAULTS, **_offering_values(data)}
    offering = Offering(district=district, school=school, program=program, **values)
    links = _links(data)
    for name, rows in links.items():
        if name == "focus_areas":
            inactive = [f for f in rows or [] if not f.is_active]
            if inactive:
                raise DomainError(
                    "offering.focus_inactive",
                    f"{inactive[0]} is no longer in use.",
                    field="focus_areas",
                )
    audited_create(
        offering,
        actor=actor.user,
        audited=["school", "program", *OFFERING_FIELDS],
        check=lambda offering: _check_offering(offering, links),
    )
    audited_links(offering, actor=actor.user, links=links, created=True)
    return offering


def _managed(actor: Actor, offering: Offering) -> None:
    if not rules.manages(actor, offering):
        raise PermissionDenied("You do not manage this offering.")


@transaction.atomic
def offering_update(*, offering: Offering, actor, data: dict[str, Any]) -> Offering:
    """Change an offering's fields; its owner stays. An archived offering is not changed."""
    actor = _as_actor(actor)
    _managed(actor, offering)
    locked = lock(
        offering,
        OfferingStatus.DRAFT,
        OfferingStatus.PUBLISHED,
        code="offering.archived",
        verb="change",
    )
    clean = _offering_values(data)
    new_format = clean.get("format", locked.format)
    switching = (new_format == Offering.Format.SELF_PACED) != locked.is_self_paced
    if switching and Meeting.objects.filter(session__offering=locked).exists():
        raise DomainError(
            "offering.format_locked",
            "Its sessions already have meetings or modules; a self-paced offering has modules "
            "and the others have dated meetings, so the format cannot switch between them.",
            field="format",
        )
    links = _links(data)
    if links["focus_areas"] is not None:
        kept = set(locked.focus_areas.values_list("pk", flat=True))
        inactive = [f for f in links["focus_areas"] if not f.is_active and f.pk not in kept]
        if inactive:
            raise DomainError(
                "offering.focus_inactive",
                f"{inactive[0]} is no longer in use.",
                field="focus_areas",
            )
    audited_update(
        locked,
        actor=actor.user,
        fields=OFFERING_FIELDS,
        data=clean,
        check=lambda offering: _check_offering(offering, links),
    )
    audited_links(locked, actor=actor.user, links=links)
    return locked


@transaction.atomic
def offering_publish(*, offering: Offering, actor) -> Offering:
    """Into everyone's catalogue (again, when it was archived)."""
    actor = _as_actor(actor)
    _managed(actor, offering)
    locked = lock(
        offering,
        OfferingStatus.DRAFT,
        OfferingStatus.ARCHIVED,
        code="offering.not_publishable",
        verb="publish",
    )
    return move(locked, actor=actor.user, to=OfferingStatus.PUBLISHED)


@transaction.atomic
def offering_archive(*, offering: Offering, actor) -> Offering:
    """Out of the catalogue; its sessions and the credit earned stay."""
    actor = _as_actor(actor)
    _managed(actor, offering)
    locked = lock(
        offering,
        OfferingStatus.DRAFT,
        OfferingStatus.PUBLISHED,
        code="offering.not_archivable",
        verb="archive",
    )
    return move(locked, actor=actor.user, to=OfferingStatus.ARCHIVED)


# --- sessions --------------------------------------------------------------------------------

SESSION_FIELDS = [
    "name",
    "location",
    "capacity",
    "registration_opens",
    "registration_closes",
    "cancel_by",
    "school_year",
]


def _year_on(district: District, when: datetime) -> SchoolYear | None:
    day = when.astimezone(district.tz).date()
    return SchoolYear.objects.filter(
        district=district, start_date__lte=day, end_date__gte=day
    ).first()


def _current_year(district: District) -> SchoolYear:
    year = SchoolYear.objects.filter(district=district, is_current=True).first()
    year = (
        year
        or SchoolYear.objects.filter(
            district=district, start_date__lte=district.today(), end_date__gte=district.today()
        ).first()
    )
    if year is None:
        raise DomainError(
            "offering.no_school_year",
            "The district has no current school year; choose one.",
            field="school_year",
        )
    return year


def _check_session(session: Session, facilitators) -> None:
    _check_same_district(session.district, session.school_year)
    opens, closes = session.registration_opens, session.registration_closes
    if opens and closes and closes <= opens:
        raise DomainError(
            "session.window",
            "Registration closes after it opens.",
            field="registration_closes",
        )
    if session.pk:
        held = Registration.objects.filter(
            session=session, status__in=Registration.HOLDS_SEAT
        ).count()
        if session.capacity is not None and session.capacity < held:
            raise DomainError(
                "session.capacity_below_seats",
                f"{held} people already hold seats; the capacity cannot be less.",
                field="capacity",
            )
    for staff in facilitators or []:
        _check_same_district(session.district, staff)
        if not staff.is_active:
            raise DomainError(
                "session.facilitator_inactive",
                f"{staff.full_name} is not active.",
                field="facilitators",
            )


@transaction.atomic
def session_create(*, offering: Offering, actor, data: dict[str, Any]) -> Session:
    """A run of the offering. Its capacity defaults to the offering's; its school year to the
    one chosen, else the current one (its first meeting decides once it has one)."""
    actor = _as_actor(actor)
    _managed(actor, offering)
    if offering.status == OfferingStatus.ARCHIVED:
        raise Conflict("offering.archived", "This offering is archived; publish it again first.")
    values = {k: v for k, v in data.items() if k in SESSION_FIELDS}
    values["name"] = _text(data, "name")
    values["location"] = _text(data, "location")
    if not values.get("capacity"):
        values["capacity"] = offering.capacity
    if not values.get("school_year"):
        values["school_year"] = _current_year(offering.district)
    session = Session(district=offering.district, offering=offering, **values)
    facilitators = list(data.get("facilitators") or [])
    audited_create(
        session,
        actor=actor.user,
        audited=SESSION_FIELDS,
        check=lambda session: _check_session(session, facilitators),
        exclude=["district", "offering"],
    )
    audited_links(session, actor=actor.user, links={"facilitators": facilitators}, created=True)
    return session


def _open_session(session: Session, verb: str) -> Session:
    return lock(
        session,
        SessionStatus.SCHEDULED,
        code="session.not_scheduled",
        verb=verb,
        related=("offering", "district", "school_year"),  # the year: `_resum` audits it
    )


@transaction.atomic
def session_update(*, session: Session, actor, data: dict[str, Any]) -> Session:
    actor = _as_actor(actor)
    _managed(actor, session.offering)
    locked = _open_session(session, "change")
    clean = {k: v for k, v in data.items() if k in SESSION_FIELDS}
    for name in ("name", "location"):
        if name in clean:
            clean[name] = _text(data, name)
    if "school_year" in clean and clean["school_year"] is None:
        del clean["school_year"]
    if "capacity" in clean and not clean["capacity"]:
        raise DomainError("session.capacity", "Give the number of seats.", field="capacity")
    facilitators = data.get("facilitators")
    seats = locked.capacity

    def check(session: Session) -> None:
        _check_session(session, facilitators)
        _derive_year(session)

    audited_update(
        locked,
        actor=actor.user,
        fields=SESSION_FIELDS,
        data=clean,
        check=check,
        exclude=["district", "offering"],
    )
    links = {"facilitators": list(facilitators) if facilitators is not None else None}
    audited_links(locked, actor=actor.user, links=links)
    if locked.capacity != seats and locked.capacity > (seats or 0):
        _registration_hook("waitlist_promote", session=locked, actor=actor.user)
    return locked


def _registration_hook(name: str, **kwargs) -> None:
    """Tell the registration area (seats freed, session cancelled) when it listens."""
    from cadre.catalog.services import registration as registration_services

    hook = getattr(registration_services, name, None)
    if hook is not None:
        hook(**kwargs)


@transaction.atomic
def session_cancel(*, session: Session, actor, reason: str = "") -> Session:
    """Cancel a scheduled session. The registration area releases its registrations
    (`session_cancelled`); a capacity that grows lets it promote from the waitlist
    (`waitlist_promote`)."""
    actor = _as_actor(actor)
    _managed(actor, session.offering)
    locked = _open_session(session, "cancel")
    locked = move(locked, actor=actor.user, to=SessionStatus.CANCELLED, note=(reason or "").strip())
    _registration_hook("session_cancelled", session=locked, actor=actor.user)
    return locked


# --- meetings and modules --------------------------------------------------------------------

MEETING_FIELDS = [
    "title",
    "starts_at",
    "ends_at",
    "break_minutes",
    "minutes",
    "location",
    "join_url",
]


def _derive_year(session: Session) -> None:
    """A session with dated meetings belongs to the school year of its first one (when the
    district has that year)."""
    if session.starts_at is None:
        return
    year = _year_on(session.district, session.starts_at)
    if year is not None:
        session.school_year = year


def _resum(session: Session, actor: Actor) -> Session:
    """Keep the session's span, credited minutes and school year right after a meeting
    change."""
    meetings = list(Meeting.objects.filter(session=session))
    dated = [m for m in meetings if m.starts_at is not None]
    before = snapshot(session, ["starts_at", "ends_at", "minutes", "school_year"])
    session.starts_at = min((m.starts_at for m in dated), default=None)
    session.ends_at = max((m.ends_at for m in dated), default=None)
    session.minutes = sum(m.minutes for m in meetings)
    _derive_year(session)
    if diff(before, snapshot(session, ["starts_at", "ends_at", "minutes", "school_year"])):
        session.save(update_fields=["starts_at", "ends_at", "minutes", "school_year", "updated_at"])
    return session


def _meeting_values(session: Session, meeting: Meeting, data: dict[str, Any]) -> None:
    """Apply `data` to `meeting` and compute its credited minutes, refusing what does not fit
    the offering's format."""
    for name in ("title", "location", "join_url"):
        if name in data:
            setattr(meeting, name, _text(data, name))
    for name in ("starts_at", "ends_at"):
        if name in data:
            setattr(meeting, name, data[name])
    if "break_minutes" in data:
        meeting.break_minutes = data["break_minutes"] or 0
    offering = session.offering
    if offering.is_self_paced:
        if "minutes" in data:
            meeting.minutes = data["minutes"] or 0
        meeting.starts_at = meeting.ends_at = None
        meeting.break_minutes = 0
        if not meeting.title:
            raise DomainError("module.title", "Name the module.", field="title")
        if meeting.minutes <= 0:
            raise DomainError(
                "module.minutes", "Give the module's credited minutes.", field="minutes"
            )
        return
    if meeting.starts_at is None or meeting.ends_at is None:
        raise DomainError(
            "meeting.times", "Give the meeting's start and end.",
            field="starts_at" if meeting.starts_at is None else "ends_at",
        )  # fmt: skip
    if meeting.ends_at <= meeting.starts_at:
        raise DomainError("meeting.times", "The meeting ends after it starts.", field="ends_at")
    duration = int((meeting.ends_at - meeting.starts_at).total_seconds() // 60)
    if meeting.break_minutes >= duration:
        raise DomainError(
            "meeting.breaks",
            f"Meals and breaks ({meeting.break_minutes} minutes) must be shorter than the "
            f"meeting ({duration} minutes).",
            field="break_minutes",
        )
    meeting.minutes = max(duration - meeting.break_minutes, 0)
    if meeting.pk and not {"location", "join_url"} & set(data):
        return  # where it meets is checked when it is set
    if offering.format == Offering.Format.LIVE_ONLINE and not meeting.join_url:
        raise DomainError(
            "meeting.join_link", "A live online meeting needs its join link.", field="join_url"
        )
    if not (meeting.location or meeting.join_url or session.location):
        raise DomainError(
            "meeting.place",
            "Give a room (here or on the session) or a join link.",
            field="location",
        )


def _meeting_session(session: Session, actor: Actor) -> Session:
    _managed(actor, session.offering)
    return _open_session(session, "change the meetings of")


def meeting_create(*, session: Session, actor, data: dict[str, Any]) -> Meeting:
    """A meeting (start and end in the district's time zone, a room or a join link), or a
    module of a self-paced offering (a title and its minutes)."""
    return meetings_create(session=session, actor=actor, data=[data])[0]


@transaction.atomic
def meetings_create(*, session: Session, actor, data: list[dict[str, Any]]) -> list[Meeting]:
    """A session's schedule (or a course's modules) at once: each meeting made, checked and
    audited as `meeting_create` makes it, in the order given, under one lock of the session,
    whose span, credited minutes and school year follow once at the end. All or nothing."""
    actor = _as_actor(actor)
    locked = _meeting_session(session, actor)
    made = []
    for values in data:
        meeting = Meeting(district=locked.district, session=locked)
        _meeting_values(locked, meeting, values)
        validate(
            meeting, ["district", "session", "checkin_code"], trusted=known_keys(meeting)
        )  # as `audited_create` validates each
        made.append(meeting)
    if not made:
        return made
    # Saved and audited together: one insert for the meetings, one for their events.
    Meeting.objects.bulk_create(made)
    trail.record_many(
        district=locked.district,
        actor=actor.user,
        events=[
            {
                "action": trail.Action.CREATE,
                "obj": meeting,
                "changes": diff({}, snapshot(meeting, MEETING_FIELDS)),
            }
            for meeting in made
        ],
    )
    _resum(locked, actor)
    return made


@transaction.atomic
def meeting_update(*, meeting: Meeting, actor, data: dict[str, Any]) -> Meeting:
    actor = _as_actor(actor)
    locked = _meeting_session(meeting.session, actor)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    before = snapshot(meeting, MEETING_FIELDS)
    _meeting_values(locked, meeting, data)
    meeting.full_clean(exclude=["district", "session", "checkin_code"])
    changes = diff(before, snapshot(meeting, MEETING_FIELDS))
    timing = {"starts_at", "ends_at", "break_minutes", "minutes"} & set(changes)
    if timing and meeting.attendance.exists():
        # Attendance was counted in the minutes it had; the credit must not change under it.
        raise Conflict(
            "meeting.attended",
            "Attendance is recorded for this meeting, so its times and minutes stay as they "
            "were. Correct a participant's minutes on the roster instead.",
            field=sorted(timing)[0],
        )
    if changes:
        meeting.save()
        audit_event(
            district=meeting.district,
            actor=actor.user,
            action=AuditEvent.Action.UPDATE,
            obj=meeting,
            changes=changes,
        )
        _resum(locked, actor)
    return meeting


@transaction.atomic
def meeting_delete(*, meeting: Meeting, actor) -> Session:
    """Remove a meeting that nobody's attendance is recorded for; the session's span and
    minutes follow."""
    actor = _as_actor(actor)
    locked = _meeting_session(meeting.session, actor)
    if meeting.attendance.exists():
        raise Conflict(
            "meeting.has_attendance",
            "Attendance is recorded for this meeting, so it cannot be removed.",
        )
    audit_event(
        district=meeting.district,
        actor=actor.user,
        action=AuditEvent.Action.DELETE,
        obj=meeting,
        changes=diff(snapshot(meeting, MEETING_FIELDS), {}),
    )
    meeting.delete()
    return _resum(locked, actor)

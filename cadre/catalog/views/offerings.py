"""The catalogue's front door, focus areas, partners, offerings, sessions and meetings. Views
parse, ask access, call a service or selector, and render; a refusal shows inline on its form
(400), or, when the record's state forbids the step, as a message on the record's page."""

from datetime import date

from django.contrib import messages
from django.db.models import Q
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, path, reverse
from django.views.decorators.http import require_POST

from cadre.catalog.forms.offerings import (
    AgreementForm,
    CancelSessionForm,
    ContactForm,
    FocusAreaForm,
    MeetingForm,
    ModuleForm,
    OfferingForm,
    PartnerForm,
    SessionForm,
)
from cadre.catalog.models import (
    FocusArea,
    Offering,
    Partner,
    PartnerAgreement,
    PartnerContact,
    Session,
)
from cadre.catalog.selectors import offerings as selectors
from cadre.catalog.services import offerings as services
from cadre.core.views import (
    actor_required,
    paginate,
    parse_bool,
    parse_choice,
    parse_int,
    parse_text,
    save_form,
    transition,
)
from cadre.districts import access
from cadre.districts.models import Program, Role, School
from cadre.funding.models import FundingSource

FORM = "catalog/offerings/form.html"


def _date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _url_or_none(name: str, *args) -> str | None:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


# --- the catalogue ---------------------------------------------------------------------------


def catalog_filters(actor, params) -> selectors.CatalogFilters:
    provider = (params.get("provider") or "").strip()
    if provider != selectors.PROVIDER_DISTRICT:
        number = parse_int(provider)
        provider = str(number) if number and number > 0 else ""
    return selectors.CatalogFilters(
        q=parse_text(params.get("q")),
        format=parse_choice(params.get("format"), Offering.Format.choices),
        focus=parse_int(params.get("focus")),
        role=parse_choice(params.get("role"), Role.choices),
        subject=(params.get("subject") or "").strip()[:100],
        grade_band=(params.get("grade_band") or "").strip()[:50],
        school=parse_int(params.get("school")),
        date_from=_date(params.get("from")),
        date_to=_date(params.get("to")),
        credit=parse_choice(params.get("credit"), selectors.CREDIT_CHOICES),
        provider=provider,
    )


@actor_required
def catalog(request):
    actor = request.actor
    access.require(actor, "list", Offering)
    filters = catalog_filters(actor, request.GET)
    page = paginate(request, selectors.catalog(actor, filters), per_page=20)
    filtering = any(
        getattr(filters, name)
        for name in (
            "q", "format", "focus", "role", "subject", "grade_band", "school", "date_from",
            "date_to", "credit", "provider",
        )
    )  # fmt: skip
    first = page.number == 1 and not filtering
    return render(
        request,
        "catalog/offerings/catalog.html",
        {
            "page": page,
            "filters": filters,
            "filtering": filtering,
            "recommended": selectors.recommended(actor) if first else [],
            "formats": Offering.Format.choices,
            "focus_areas": list(selectors.focus_area_list(actor, active=True)),
            "roles": Role.choices,
            "schools": list(School.objects.filter(district=actor.district, is_active=True)),
            "partners": list(access.visible(actor, Partner).filter(is_active=True)),
            "credits": selectors.CREDIT_CHOICES,
            "can_create": access.can(actor, "create", Offering),
        },
    )


@actor_required
def offering_manage(request):
    """The offerings this person manages, drafts and archived ones included."""
    actor = request.actor
    access.require(actor, "create", Offering)
    status = parse_choice(request.GET.get("status"), Offering.Status.choices)
    q = parse_text(request.GET.get("q"))
    return render(
        request,
        "catalog/offerings/manage.html",
        {
            "page": paginate(request, selectors.managed_offerings(actor, status=status, q=q)),
            "status": status,
            "statuses": Offering.Status.choices,
            "q": q,
        },
    )


# --- focus areas -----------------------------------------------------------------------------


@actor_required
def focus_area_list(request):
    actor = request.actor
    access.require(actor, "list", FocusArea)
    return render(
        request,
        "catalog/offerings/focus_area_list.html",
        {
            "focus_areas": list(selectors.focus_area_list(actor)),
            "can_edit": access.can(actor, "change", FocusArea),
        },
    )


@actor_required
def focus_area_create(request):
    actor = request.actor
    access.require(actor, "create", FocusArea)
    return save_form(
        request,
        FocusAreaForm(request.POST or None),
        lambda data: services.focus_area_create(district=actor.district, actor=actor, data=data),
        title="New focus area",
        cancel=reverse("focus-area-list"),
        template=FORM,
    )


@actor_required
def focus_area_edit(request, pk: int):
    actor = request.actor
    focus = access.get_visible_or_404(actor, FocusArea, pk=pk)
    access.require(actor, "change", focus)
    initial = {"name": focus.name, "is_active": focus.is_active}
    return save_form(
        request,
        FocusAreaForm(request.POST or None, initial=initial),
        lambda data: services.focus_area_update(focus_area=focus, actor=actor, data=data),
        title=f"Edit {focus}",
        cancel=reverse("focus-area-list"),
        template=FORM,
    )


# --- partners --------------------------------------------------------------------------------


@actor_required
def partner_list(request):
    actor = request.actor
    access.require(actor, "list", Partner)
    kind = parse_choice(request.GET.get("kind"), Partner.Kind.choices)
    q = parse_text(request.GET.get("q"))
    active = parse_bool(request.GET.get("active"))
    return render(
        request,
        "catalog/offerings/partner_list.html",
        {
            "page": paginate(request, selectors.partner_list(actor, q=q, kind=kind, active=active)),
            "kind": kind,
            "kinds": Partner.Kind.choices,
            "q": q,
            "active": request.GET.get("active", ""),
            "can_create": access.can(actor, "create", Partner),
        },
    )


@actor_required
def partner_create(request):
    actor = request.actor
    access.require(actor, "create", Partner)
    return save_form(
        request,
        PartnerForm(request.POST or None, initial={"is_active": True}),
        lambda data: services.partner_create(district=actor.district, actor=actor, data=data),
        title="New partner",
        cancel=reverse("partner-list"),
        template=FORM,
    )


@actor_required
def partner_detail(request, pk: int):
    actor = request.actor
    partner = selectors.partner_detail(actor, pk)
    offerings = selectors.with_upcoming(
        selectors.offering_queryset(actor).filter(partner=partner)
    ).order_by("title", "id")
    return render(
        request,
        "catalog/offerings/partner_detail.html",
        {
            "partner": partner,
            "agreements": selectors.partner_agreements(actor, partner),
            "offerings": list(offerings),
            "can_edit": access.can(actor, "change", partner),
        },
    )


@actor_required
def partner_edit(request, pk: int):
    actor = request.actor
    partner = selectors.partner_detail(actor, pk)
    access.require(actor, "change", partner)
    return save_form(
        request,
        PartnerForm(request.POST or None, instance=Partner.objects.get(pk=pk)),
        lambda data: services.partner_update(partner=partner, actor=actor, data=data),
        title=f"Edit {partner}",
        cancel=partner.get_absolute_url(),
        template=FORM,
    )


@actor_required
def contact_create(request, pk: int):
    actor = request.actor
    partner = selectors.partner_detail(actor, pk)
    access.require(actor, "create", PartnerContact)
    return save_form(
        request,
        ContactForm(request.POST or None),
        lambda data: services.contact_create(partner=partner, actor=actor, data=data),
        title=f"New contact at {partner}",
        cancel=partner.get_absolute_url(),
        template=FORM,
    )


@actor_required
def contact_edit(request, pk: int):
    actor = request.actor
    contact = access.get_visible_or_404(actor, PartnerContact, pk=pk)
    access.require(actor, "change", contact)
    return save_form(
        request,
        ContactForm(request.POST or None, instance=PartnerContact.objects.get(pk=pk)),
        lambda data: services.contact_update(contact=contact, actor=actor, data=data),
        title=f"Edit {contact}",
        cancel=contact.get_absolute_url(),
        template=FORM,
    )


@require_POST
@actor_required
def contact_delete(request, pk: int):
    actor = request.actor
    contact = access.get_visible_or_404(actor, PartnerContact, pk=pk)
    access.require(actor, "change", contact)
    partner = contact.partner
    services.contact_delete(contact=contact, actor=actor)
    messages.success(request, f"Removed {contact.name}.")
    return redirect(partner.get_absolute_url())


@actor_required
def agreement_create(request, pk: int):
    actor = request.actor
    partner = selectors.partner_detail(actor, pk)
    access.require(actor, "create", PartnerAgreement)
    return save_form(
        request,
        AgreementForm(request.POST or None),
        lambda data: services.agreement_create(partner=partner, actor=actor, data=data),
        title=f"New agreement with {partner}",
        cancel=partner.get_absolute_url(),
        template=FORM,
    )


@actor_required
def agreement_edit(request, pk: int):
    actor = request.actor
    agreement = access.get_visible_or_404(actor, PartnerAgreement, pk=pk)
    access.require(actor, "change", agreement)
    return save_form(
        request,
        AgreementForm(request.POST or None, instance=PartnerAgreement.objects.get(pk=pk)),
        lambda data: services.agreement_update(agreement=agreement, actor=actor, data=data),
        title=f"Edit {agreement.title}",
        cancel=agreement.get_absolute_url(),
        template=FORM,
    )


# --- offerings -------------------------------------------------------------------------------


def _offering_form(request, actor, offering: Offering | None, initial=None) -> OfferingForm:
    district = actor.district
    kept_focus = list(offering.focus_areas.all()) if offering else []
    kept_staff = list(offering.facilitators.all()) if offering else []
    sources = selectors.source_choices(actor)
    if offering and offering.source_id:
        sources = FundingSource.objects.filter(
            Q(pk__in=sources.values("pk")) | Q(pk=offering.source_id)
        ).order_by("name")
    partners = Partner.objects.filter(district=district).filter(
        Q(is_active=True) | Q(pk=getattr(offering, "partner_id", None) or 0)
    )
    return OfferingForm(
        request.POST or None,
        initial=initial,
        owners=None if offering else selectors.owner_choices(actor),
        focus_areas=FocusArea.objects.filter(district=district).filter(
            Q(is_active=True) | Q(pk__in=[f.pk for f in kept_focus])
        ),
        schools=School.objects.filter(district=district, is_active=True),
        programs=Program.objects.filter(district=district, is_active=True),
        goals=selectors.goal_choices(
            actor,
            school_id=getattr(offering, "school_id", None),
            program_id=getattr(offering, "program_id", None),
        ),
        partners=partners,
        staff=selectors.staff_choices(actor, keep=kept_staff),
        sources=sources,
        rules=services.completion_rule_choices(),
    )


def _credit_rule(district) -> str:
    return (
        f"A clock hour is {district.clock_hour_minutes} minutes of learning; meals and breaks "
        f"are not credited; a session shorter than {district.clock_hour_min_minutes} credited "
        "minutes earns no clock hours."
    )


@actor_required
def offering_create(request):
    actor = request.actor
    access.require(actor, "create", Offering)
    services.focus_areas_ensure(actor.district)
    form = _offering_form(
        request,
        actor,
        None,
        initial={
            "owner": next(iter(selectors.owner_choices(actor)), ("", ""))[0],
            "capacity": 30,
            "min_attendance_percent": 80,
            "approval": Offering.Approval.NONE,
        },
    )
    return save_form(
        request,
        form,
        lambda data: services.offering_create(district=actor.district, actor=actor, data=data),
        title="New offering",
        cancel=reverse("catalog"),
        template="catalog/offerings/offering_form.html",
        extra={"credit_rule": _credit_rule(actor.district), "sessions": []},
    )


@actor_required
def offering_detail(request, pk: int):
    actor = request.actor
    offering = selectors.offering_detail(actor, pk)
    sessions = selectors.offering_sessions(actor, offering)
    can_change = access.can(actor, "change", offering)
    rule_labels = dict(services.completion_rule_choices())
    return render(
        request,
        "catalog/offerings/offering_detail.html",
        {
            "offering": offering,
            "sessions": sessions,
            "credit": selectors.offering_credit(actor.district, offering, sessions),
            "credit_rule": _credit_rule(actor.district),
            "completion_rules": [rule_labels.get(n, n) for n in offering.completion_rules],
            "can_edit": can_change and offering.status != Offering.Status.ARCHIVED,
            "can_publish": can_change and offering.status != Offering.Status.PUBLISHED,
            "can_archive": can_change and offering.status != Offering.Status.ARCHIVED,
            "can_add_session": can_change and offering.status != Offering.Status.ARCHIVED,
            "role_labels": [Role(r).label for r in offering.roles if r in Role.values],
        },
    )


@actor_required
def offering_edit(request, pk: int):
    actor = request.actor
    offering = selectors.offering_detail(actor, pk)
    access.require(actor, "change", offering)
    if offering.status == Offering.Status.ARCHIVED:
        messages.error(request, "This offering is archived; publish it again to change it.")
        return redirect(offering.get_absolute_url())
    initial = {
        name: getattr(offering, name)
        for name in services.OFFERING_FIELDS
        if name not in ("partner", "source")
    }
    initial |= {
        "partner": offering.partner_id,
        "source": offering.source_id,
        **{name: list(getattr(offering, name).all()) for name in services.OFFERING_LINKS},
    }
    form = _offering_form(request, actor, offering, initial=initial)
    sessions = selectors.offering_sessions(actor, offering)
    return save_form(
        request,
        form,
        lambda data: services.offering_update(offering=offering, actor=actor, data=data),
        title=f"Edit {offering}",
        cancel=offering.get_absolute_url(),
        template="catalog/offerings/offering_form.html",
        extra={
            "offering": offering,
            "sessions": sessions,
            "credit": selectors.offering_credit(actor.district, offering, sessions),
            "credit_rule": _credit_rule(actor.district),
        },
    )


def _offering_step(request, pk: int, service, done: str):
    actor = request.actor
    offering = selectors.offering_detail(actor, pk)
    access.require(actor, "change", offering)
    return transition(request, lambda: service(offering=offering, actor=actor), offering, done=done)


@require_POST
@actor_required
def offering_publish(request, pk: int):
    return _offering_step(
        request, pk, services.offering_publish, "Published; it is in everyone's catalogue."
    )


@require_POST
@actor_required
def offering_archive(request, pk: int):
    return _offering_step(
        request, pk, services.offering_archive, "Archived; it has left the catalogue."
    )


# --- sessions --------------------------------------------------------------------------------


def _session_form(request, actor, session: Session | None, initial=None) -> SessionForm:
    keep = list(session.facilitators.all()) if session else []
    return SessionForm(
        request.POST or None,
        initial=initial,
        years=selectors.school_year_choices(actor),
        staff=selectors.staff_choices(actor, keep=keep),
    )


@actor_required
def session_create(request, pk: int):
    actor = request.actor
    offering = selectors.offering_detail(actor, pk)
    probe = Session(district=offering.district, offering=offering)
    access.require(actor, "change", probe)
    if offering.status == Offering.Status.ARCHIVED:
        messages.error(request, "This offering is archived; publish it again to add sessions.")
        return redirect(offering.get_absolute_url())
    return save_form(
        request,
        _session_form(request, actor, None, initial={"capacity": offering.capacity}),
        lambda data: services.session_create(offering=offering, actor=actor, data=data),
        title=f"New session of {offering}",
        cancel=offering.get_absolute_url(),
        template=FORM,
    )


@actor_required
def session_detail(request, pk: int):
    from cadre.catalog.selectors import registration as registration_selectors

    actor = request.actor
    session = selectors.session_detail(actor, pk)
    can_change = access.can(actor, "change", session)
    scheduled = session.status == Session.Status.SCHEDULED
    return render(
        request,
        "catalog/offerings/session_detail.html",
        {
            "session": session,
            "offering": session.offering,
            "meetings": list(session.meetings.all()),
            # The offering's facilitators and the session's own, each named once.
            "facilitators": list(
                {
                    s.pk: s
                    for s in [*session.offering.facilitators.all(), *session.facilitators.all()]
                }.values()
            ),
            "seats_left": max(session.capacity - session.seats_taken, 0),
            "panel": registration_selectors.session_panel(actor, session),
            "roster_url": _url_or_none("session-roster", session.pk)
            if access.can(actor, "attend", session)
            else None,
            "can_edit": can_change and scheduled,
            "cancel_form": CancelSessionForm(auto_id="cancel_%s"),
            "self_paced": session.offering.is_self_paced,
            "time_zone": actor.district.time_zone,
        },
    )


@actor_required
def session_edit(request, pk: int):
    actor = request.actor
    session = selectors.session_detail(actor, pk)
    access.require(actor, "change", session)
    if session.status != Session.Status.SCHEDULED:
        messages.error(
            request, f"This session is {session.get_status_display().lower()}; it is not changed."
        )
        return redirect(session.get_absolute_url())
    initial = {name: getattr(session, name) for name in services.SESSION_FIELDS}
    initial["facilitators"] = list(session.facilitators.all())
    return save_form(
        request,
        _session_form(request, actor, session, initial=initial),
        lambda data: services.session_update(session=session, actor=actor, data=data),
        title=f"Edit {session}",
        cancel=session.get_absolute_url(),
        template=FORM,
    )


@require_POST
@actor_required
def session_cancel(request, pk: int):
    actor = request.actor
    session = selectors.session_detail(actor, pk)
    access.require(actor, "change", session)
    form = CancelSessionForm(request.POST, auto_id="cancel_%s")
    if not form.is_valid():
        messages.error(request, "The reason is too long.")
        return redirect(session.get_absolute_url())
    return transition(
        request,
        lambda: services.session_cancel(
            session=session, actor=actor, reason=form.cleaned_data["reason"]
        ),
        session,
        done="Session cancelled.",
    )


# --- meetings and modules --------------------------------------------------------------------


def _meeting_form_class(session: Session):
    return ModuleForm if session.offering.is_self_paced else MeetingForm


@actor_required
def meeting_create(request, pk: int):
    actor = request.actor
    session = selectors.session_detail(actor, pk)
    access.require(actor, "change", session)
    if session.status != Session.Status.SCHEDULED:
        messages.error(request, "Meetings are added to scheduled sessions only.")
        return redirect(session.get_absolute_url())
    kind = "module" if session.offering.is_self_paced else "meeting"
    return save_form(
        request,
        _meeting_form_class(session)(request.POST or None),
        lambda data: services.meeting_create(session=session, actor=actor, data=data),
        title=f"New {kind} of {session}",
        cancel=session.get_absolute_url(),
        template=FORM,
        extra={"time_zone": actor.district.time_zone if kind == "meeting" else ""},
    )


@actor_required
def meeting_edit(request, pk: int):
    actor = request.actor
    meeting = selectors.meeting_detail(actor, pk)
    session = meeting.session
    access.require(actor, "change", meeting)
    if session.status != Session.Status.SCHEDULED:
        messages.error(request, "Meetings of a closed or cancelled session are not changed.")
        return redirect(session.get_absolute_url())
    form_class = _meeting_form_class(session)
    initial = {name: getattr(meeting, name) for name in form_class.base_fields}
    kind = "module" if session.offering.is_self_paced else "meeting"
    return save_form(
        request,
        form_class(request.POST or None, initial=initial),
        lambda data: services.meeting_update(meeting=meeting, actor=actor, data=data),
        title=f"Edit the {kind} {meeting}",
        cancel=session.get_absolute_url(),
        template=FORM,
        extra={"time_zone": actor.district.time_zone if kind == "meeting" else ""},
    )


@require_POST
@actor_required
def meeting_delete(request, pk: int):
    actor = request.actor
    meeting = selectors.meeting_detail(actor, pk)
    access.require(actor, "change", meeting)
    session = meeting.session
    return transition(
        request,
        lambda: services.meeting_delete(meeting=meeting, actor=actor),
        session,
        done="Removed; the session's times and minutes are updated.",
    )


urls = [
    path("", catalog, name="catalog"),
    path("offerings/manage/", offering_manage, name="offering-manage"),
    path("offerings/new/", offering_create, name="offering-create"),
    path("offerings/<int:pk>/", offering_detail, name="offering-detail"),
    path("offerings/<int:pk>/edit/", offering_edit, name="offering-edit"),
    path("offerings/<int:pk>/publish/", offering_publish, name="offering-publish"),
    path("offerings/<int:pk>/archive/", offering_archive, name="offering-archive"),
    path("offerings/<int:pk>/sessions/new/", session_create, name="session-create"),
    path("sessions/<int:pk>/", session_detail, name="session-detail"),
    path("sessions/<int:pk>/edit/", session_edit, name="session-edit"),
    path("sessions/<int:pk>/cancel/", session_cancel, name="session-cancel"),
    path("sessions/<int:pk>/meetings/new/", meeting_create, name="meeting-create"),
    path("meetings/<int:pk>/edit/", meeting_edit, name="meeting-edit"),
    path("meetings/<int:pk>/delete/", meeting_delete, name="meeting-delete"),
    path("focus-areas/", focus_area_list, name="focus-area-list"),
    path("focus-areas/new/", focus_area_create, name="focus-area-create"),
    path("focus-areas/<int:pk>/edit/", focus_area_edit, name="focus-area-edit"),
    path("partners/", partner_list, name="partner-list"),
    path("partners/new/", partner_create, name="partner-create"),
    path("partners/<int:pk>/", partner_detail, name="partner-detail"),
    path("partners/<int:pk>/edit/", partner_edit, name="partner-edit"),
    path("partners/<int:pk>/contacts/new/", contact_create, name="partner-contact-create"),
    path("partners/contacts/<int:pk>/edit/", contact_edit, name="partner-contact-edit"),
    path("partners/contacts/<int:pk>/delete/", contact_delete, name="partner-contact-delete"),
    path("partners/<int:pk>/agreements/new/", agreement_create, name="partner-agreement-create"),
    path("partners/agreements/<int:pk>/edit/", agreement_edit, name="partner-agreement-edit"),
]

"""Attendance pages: the facilitator's roster (built for a tablet: one tap per person, with
htmx, and a plain form without JavaScript), self check-in with a meeting's code or QR code,
self-paced modules attested with evidence, closing a session to award credit, the PDF
certificate, and the public verification of a certificate's code."""

import segno
from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_GET, require_POST

from cadre.catalog import certificate
from cadre.catalog.forms.attendance import AttestForm, CheckinForm, MarkForm, VerifyForm
from cadre.catalog.models import Registration
from cadre.catalog.selectors import attendance as selectors
from cadre.catalog.services import attendance as services
from cadre.core import attachments
from cadre.core.errors import DomainError
from cadre.core.views import actor_required, form_error, parse_int, refused, transition
from cadre.districts import access

Status = Registration.Status


# --- the roster ------------------------------------------------------------------------------


def checkin_url(code: str) -> str:
    return f"{settings.SITE_URL}{reverse('checkin')}?code={code}"


def qr_svg(url: str) -> str:
    """The QR code of `url` as inline SVG (no script, no style attribute)."""
    return segno.make(url, error="m").svg_inline(
        scale=4, title="QR code to check in", svgclass="qr", omitsize=True, light="#fff"
    )


def roster_url(session_id: int, meeting_id: int | None = None) -> str:
    url = reverse("session-roster", args=[session_id])
    return f"{url}?meeting={meeting_id}" if meeting_id else url


def _counts(rows) -> dict:
    present = sum(1 for r in rows if r.present)
    absent = sum(1 for r in rows if r.marked and not r.present)
    return {"present": present, "absent": absent, "unmarked": len(rows) - present - absent}


def _roster_page(request, session, meeting, *, meetings, error: str = "", status: int = 200):
    actor = request.actor
    rows = selectors.roster(actor, meeting) if meeting else []
    manages = access.can(actor, "change", session)
    url = checkin_url(meeting.checkin_code) if meeting else ""
    return render(
        request,
        "catalog/attendance/roster.html",
        {
            "session": session,
            "meeting": meeting,
            "meetings": meetings,
            "rows": rows,
            "counts": _counts(rows),
            "checkin_url": url,
            "qr": qr_svg(url) if meeting else "",
            "can_evaluate": manages,
            "can_close": manages and services.closable(session),
            "grace_minutes": int(services.CHECKIN_GRACE.total_seconds() // 60),
            "error": error,
        },
        status=status,
    )


@require_GET
@actor_required
def session_roster(request, pk: int):
    actor = request.actor
    session = selectors.session_for_roster(actor, pk)
    access.require(actor, "attend", session)
    meetings = selectors.scheduled_meetings(session)
    meeting = selectors.pick_meeting(meetings, parse_int(request.GET.get("meeting")))
    if meeting is None:
        meeting = selectors.pick_meeting(meetings, None)
    return _roster_page(request, session, meeting, meetings=meetings)


@require_POST
@actor_required
def roster_mark(request, pk: int):
    """One tap: present or absent (or minutes). htmx swaps the row and the counts; without
    JavaScript the form posts and the roster reloads at the person's row."""
    actor = request.actor
    meeting = selectors.meeting_for(actor, pk)
    access.require(actor, "attend", meeting)
    session = meeting.session
    form = MarkForm(request.POST)
    row = (
        selectors.roster_row(actor, meeting, form.cleaned_data["registration"])
        if form.is_valid()
        else None
    )
    if row is None:
        meetings = selectors.scheduled_meetings(session)
        return _roster_page(
            request,
            session,
            meeting,
            meetings=meetings,
            error="Choose a participant of this session to mark.",
            status=400,
        )
    data = form.cleaned_data
    error = ""
    try:
        services.attendance_mark(
            meeting=meeting,
            registration=row.registration,
            present=data["present"],
            actor=request.user,
            minutes=data["minutes"],
        )
    except DomainError as exc:
        error = refused(exc)
    if request.htmx:
        fresh = selectors.roster_row(actor, meeting, row.registration.pk)
        return render(
            request,
            "catalog/attendance/_roster_mark.html",
            {
                "row": fresh,
                "meeting": meeting,
                "session": session,
                "counts": selectors.roster_counts(actor, meeting),
                "can_evaluate": access.can(actor, "change", session),
                "error": error,
            },
        )
    if error:
        messages.error(request, error)
    return redirect(f"{roster_url(session.pk, meeting.pk)}#reg-{row.registration.pk}")


@require_POST
@actor_required
def session_close(request, pk: int):
    actor = request.actor
    session = selectors.session_for_roster(actor, pk)
    access.require(actor, "change", session)

    def done(closed) -> str:
        count = closed.registrations.filter(status=Status.COMPLETED).count()
        return f"Session closed; credit awarded to {count}."

    return transition(
        request,
        lambda: services.session_close(session=session, actor=request.user),
        done=done,
        to=roster_url(session.pk),
    )


@require_POST
@actor_required
def registration_evaluate(request, pk: int):
    """A manager applies the completion rules again to an incomplete registration, after
    correcting its attendance."""
    actor = request.actor
    registration = selectors.registration_for(actor, pk)
    access.require(actor, "evaluate", registration)

    def done(awarded) -> str | None:
        if awarded:
            return f"Completed: {awarded.clock_hours} clock hours awarded to {registration.staff}."
        registration.refresh_from_db(fields=["reason"])
        messages.error(request, f"Still not completed: {registration.reason}")
        return None

    return transition(
        request,
        lambda: services.completion_reevaluate(registration=registration, actor=request.user),
        done=done,
        to=roster_url(registration.session_id) + f"#reg-{registration.pk}",
    )


# --- self check-in ---------------------------------------------------------------------------


@actor_required
def checkin(request):
    actor = request.actor
    if request.method == "POST":
        form = CheckinForm(request.POST)
        if form.is_valid():
            try:
                attendance, created = services.checkin(
                    code=form.cleaned_data["code"], staff=actor.staff, actor=request.user
                )
            except DomainError as exc:
                form_error(form, exc)
            else:
                return render(
                    request,
                    "catalog/attendance/checkin.html",
                    {"done": attendance, "created": created},
                )
        return render(request, "catalog/attendance/checkin.html", {"form": form}, status=400)
    code = services.normalise_code(request.GET.get("code", ""))[:20]
    form = CheckinForm(initial={"code": code})
    return render(request, "catalog/attendance/checkin.html", {"form": form})


# --- self-paced modules ----------------------------------------------------------------------


def _modules_page(request, registration, *, forms: dict | None = None, status: int = 200):
    actor = request.actor
    mine = access.can(actor, "attest", registration)
    rows = selectors.modules(registration)
    forms = forms or {}
    attesting = mine and registration.status == Status.REGISTERED
    for row in rows:
        row.form = forms.get(row.meeting.pk) or (
            AttestForm(
                initial={
                    "meeting": row.meeting.pk,
                    "evidence": row.attendance.evidence if row.attendance else "",
                },
                auto_id=f"m{row.meeting.pk}_%s",
            )
            if attesting
            else None
        )
    return render(
        request,
        "catalog/attendance/modules.html",
        {
            "registration": registration,
            "session": registration.session,
            "rows": rows,
            "attested": sum(1 for r in rows if r.attested),
            "is_registrant": mine,
            "attesting": attesting,
            "can_check": attesting
            and registration.session.offering.is_self_paced
            and rows
            and all(r.attested for r in rows),
        },
        status=status,
    )


@actor_required
def registration_modules(request, pk: int):
    actor = request.actor
    registration = selectors.registration_for(actor, pk)
    if request.method != "POST":
        return _modules_page(request, registration)
    access.require(actor, "attest", registration)
    if request.POST.get("check"):

        def done(awarded) -> str | None:
            if awarded:
                return "Completed. Your certificate is ready."
            registration.refresh_from_db(fields=["reason"])
            messages.error(request, f"Not completed yet: {registration.reason}")
            return None

        return transition(
            request,
            lambda: services.completion_evaluate(
                registration=registration, actor=request.user, final=False
            ),
            done=done,
            to=reverse("registration-modules", kwargs={"pk": registration.pk}),
        )
    form = AttestForm(request.POST)
    meeting_id = parse_int(request.POST.get("meeting"))
    if meeting_id is not None:
        form.auto_id = f"m{meeting_id}_%s"
    if form.is_valid():
        module = registration.session.meetings.filter(
            pk=form.cleaned_data["meeting"], starts_at__isnull=True
        ).first()
        if module is None:
            form.add_error(None, "Choose a module of this session.")
        else:
            try:
                services.module_attest(
                    meeting=module,
                    registration=registration,
                    actor=request.user,
                    evidence=form.cleaned_data["evidence"],
                )
            except DomainError as exc:
                form_error(form, exc)
            else:
                registration.refresh_from_db(fields=["status", "reason"])
                if registration.status == Status.COMPLETED:
                    messages.success(request, f"Attested {module}. Completed: credit awarded.")
                else:
                    messages.success(request, f"Attested {module}.")
                return redirect("registration-modules", pk=registration.pk)
    forms = {meeting_id: form} if meeting_id is not None else {}
    if not forms:
        messages.error(request, "Choose a module of this session.")
    return _modules_page(request, registration, forms=forms, status=400)


# --- certificates ----------------------------------------------------------------------------


@require_GET
@actor_required
def certificate_pdf(request, pk: int):
    """The PDF certificate of a completed registration, for whoever may see the completion."""
    completion = selectors.completion_for(request.actor, pk)
    pdf = certificate.build(completion)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = attachments.disposition(f"certificate-{completion.code}.pdf")
    return response


def _public(response):
    response["X-Robots-Tag"] = "noindex"
    response["Cache-Control"] = "no-store"
    return response


@require_GET
def certificate_lookup(request):
    """The public form: type a certificate's code to verify it."""
    if "code" in request.GET:
        form = VerifyForm(request.GET)
        if form.is_valid():
            code = services.normalise_code(form.cleaned_data["code"])
            if selectors.plausible_code(code):
                return redirect("certificate-verify", code=code)
            # Not a code at all (it may hold a "/", which no address can): not found.
            return _public(
                render(
                    request,
                    "catalog/attendance/verify.html",
                    {"form": form, "not_found": True, "code": code[:40]},
                    status=404,
                )
            )
        return _public(
            render(request, "catalog/attendance/verify.html", {"form": form}, status=400)
        )
    return _public(render(request, "catalog/attendance/verify.html", {"form": VerifyForm()}))


@require_GET
def certificate_verify(request, code: str):
    """Public: a certificate's name, offering, hours and date; nothing else."""
    found = selectors.verify(code)
    form = VerifyForm(initial={"code": code[:40]})
    if found is None:
        return _public(
            render(
                request,
                "catalog/attendance/verify.html",
                {"form": form, "not_found": True, "code": code[:40]},
                status=404,
            )
        )
    return _public(
        render(request, "catalog/attendance/verify.html", {"form": form, "found": found})
    )


urls = [
    path("sessions/<int:pk>/roster/", session_roster, name="session-roster"),
    path("sessions/<int:pk>/close/", session_close, name="session-close"),
    path("meetings/<int:pk>/mark/", roster_mark, name="roster-mark"),
    path("checkin/", checkin, name="checkin"),
    path("registrations/<int:pk>/modules/", registration_modules, name="registration-modules"),
    path("registrations/<int:pk>/evaluate/", registration_evaluate, name="registration-evaluate"),
    path("registrations/<int:pk>/certificate/", certificate_pdf, name="certificate"),
    path("verify/", certificate_lookup, name="certificate-lookup"),
    path("verify/<str:code>/", certificate_verify, name="certificate-verify"),
]

"""Registration pages: register and cancel on the session page, a person's learning, a
registration's page with its history, the approvals that wait, whole-group assignment, and a
session's registrations (with a CSV export). Views parse, ask access, call a service or
selector, and render."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from cadre.catalog.forms.registration import AssignForm, CancelForm, DenyForm
from cadre.catalog.models import CalendarFeed, Registration, Session
from cadre.catalog.selectors import registration as selectors
from cadre.catalog.services import registration as services
from cadre.core.errors import Conflict, DomainError
from cadre.core.views import actor_required, form_error, paginate, refused, transition
from cadre.districts import access
from cadre.funding.exports import csv_response

Status = Registration.Status


def _session(actor, pk: int) -> Session:
    return access.get_visible_or_404(
        actor, Session.objects.select_related("offering", "district", "school_year"), pk=pk
    )


def _back(request, default: str) -> str:
    """Where a step returns: a page of ours named in `next`, else the record."""
    target = request.POST.get("next", "")
    return (
        target if target in {reverse("registration-approvals"), reverse("my-learning")} else default
    )


# --- register and cancel ---------------------------------------------------------------------


@require_POST
@actor_required
def session_register(request, pk: int):
    actor = request.actor
    session = _session(actor, pk)
    access.require(actor, "register", session)

    def done(reg: Registration) -> str:
        return {
            Status.REGISTERED: "You are registered.",
            Status.REQUESTED: f"Requested; it waits for approval by "
            f"{session.offering.get_approval_display().lower()}.",
            Status.WAITLISTED: f"The session is full: you are number {reg.position} on the "
            "waitlist.",
        }[reg.status]

    return transition(
        request,
        lambda: services.registration_create(
            session=session, staff=actor.staff, actor=request.user
        ),
        session,
        done=done,
    )


@require_POST
@actor_required
def registration_cancel(request, pk: int):
    actor = request.actor
    reg = selectors.registration_detail(actor, pk)
    access.require(actor, "cancel", reg)
    form = CancelForm(request.POST, auto_id="cancel_%s")
    if not form.is_valid():
        return _detail_page(request, reg, cancel_form=form, status=400)
    return transition(
        request,
        lambda: services.registration_cancel(
            registration=reg, actor=request.user, reason=form.cleaned_data["reason"]
        ),
        done="Cancelled.",
        to=_back(request, reg.get_absolute_url()),
    )


# --- a registration's page and decisions ---------------------------------------------------


def _detail_page(request, reg: Registration, *, deny_form=None, cancel_form=None, status=200):
    actor = request.actor
    can_decide = reg.status == Status.REQUESTED and access.can(actor, "approve", reg)
    shown = access.can(actor, "see_ledger", reg)
    entries = [e for e in (reg.fee_entry, reg.days_entry) if e is not None] if shown else []
    return render(
        request,
        "catalog/registration/registration_detail.html",
        {
            "reg": reg,
            "session": reg.session,
            "events": selectors.history(reg),
            "can_cancel": selectors.may_cancel_now(actor, reg),
            "can_decide": can_decide,
            "deny_form": deny_form or DenyForm(auto_id="deny_%s"),
            "cancel_form": cancel_form or CancelForm(auto_id="cancel_%s"),
            "entries": entries,
            "is_mine": reg.staff_id == actor.staff.pk,
        },
        status=status,
    )


@actor_required
def registration_detail(request, pk: int):
    actor = request.actor
    reg = access.get_visible_or_404(
        actor,
        Registration.objects.select_related(
            *selectors.RELATED, "session__district", "fee_entry__budget", "days_entry__budget"
        ).prefetch_related(*selectors.PEOPLE),
        pk=pk,
    )
    return _detail_page(request, reg)


@require_POST
@actor_required
def registration_approve(request, pk: int):
    actor = request.actor
    reg = selectors.registration_detail(actor, pk)
    access.require(actor, "approve", reg)
    return transition(
        request,
        lambda: services.registration_approve(registration=reg, actor=request.user),
        done=f"Approved: {reg.staff} is registered.",
        to=_back(request, reg.get_absolute_url()),
    )


@require_POST
@actor_required
def registration_deny(request, pk: int):
    actor = request.actor
    reg = selectors.registration_detail(actor, pk)
    access.require(actor, "deny", reg)
    form = DenyForm(request.POST, auto_id="deny_%s")
    if not form.is_valid():
        return _detail_page(request, reg, deny_form=form, status=400)
    try:
        services.registration_deny(
            registration=reg, actor=request.user, reason=form.cleaned_data["reason"]
        )
    except Conflict as exc:
        messages.error(request, refused(exc))
    except DomainError as exc:
        form_error(form, exc)
        return _detail_page(request, reg, deny_form=form, status=400)
    else:
        messages.success(request, f"Denied; {reg.staff} sees your reason.")
    return redirect(_back(request, reg.get_absolute_url()))


@actor_required
def registration_approvals(request):
    actor = request.actor
    access.require(actor, "approve", Registration)
    return render(
        request,
        "catalog/registration/approvals.html",
        {"page": paginate(request, selectors.approvals_for(actor)), "deny_form": DenyForm()},
    )


# --- my learning -----------------------------------------------------------------------------


@actor_required
def my_learning(request):
    actor = request.actor
    feed = CalendarFeed.objects.filter(staff=actor.staff).first()
    return render(
        request,
        "catalog/registration/my_learning.html",
        {
            "learning": selectors.my_learning(actor),
            "page": paginate(request, selectors.my_past_learning(actor), per_page=20),
            "feed": feed,
            "feed_url": request.build_absolute_uri(reverse("calendar-feed", args=[feed.token]))
            if feed
            else "",
            "can_approve": access.can(actor, "approve", Registration),
            "waiting": selectors.approvals_for(actor).count()
            if access.can(actor, "approve", Registration)
            else 0,
        },
    )


# --- whole-group assignment ------------------------------------------------------------------


@actor_required
def session_assign(request, pk: int):
    actor = request.actor
    session = _session(actor, pk)
    access.require(actor, "assign", session)
    form = AssignForm(request.POST or None, actor=actor)
    preview = None
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            unit = data["school"] or data["program"]
            filters = {k: data[k] for k in ("roles", "subjects", "grade_bands")}
            if request.POST.get("step") == "confirm":
                try:
                    record = services.session_assign(
                        session=session,
                        actor=request.user,
                        school=data["school"],
                        program=data["program"],
                        **filters,
                    )
                except (DomainError, ValidationError) as exc:
                    form_error(form, exc)
                else:
                    messages.success(
                        request,
                        f"Assigned to {record.assigned_count} people of {unit}; "
                        "they see it as required.",
                    )
                    return redirect(session.get_absolute_url())
            else:
                people = services.assignable_staff(
                    session=session, school=data["school"], program=data["program"], **filters
                )
                preview = services.assignment_plan(session, people)
                preview["unit"] = unit
                preview["fits"] = 0 < preview["needed"] <= preview["free"]
                status = 200
    return render(
        request,
        "catalog/registration/assign.html",
        {"session": session, "form": form, "preview": preview},
        status=status,
    )


# --- a session's registrations ---------------------------------------------------------------


@actor_required
def session_registrations(request, pk: int):
    actor = request.actor
    session = _session(actor, pk)
    access.require(actor, "attend", session)
    roster = selectors.session_roster(session)
    if request.GET.get("format") == "csv":
        services.roster_exported(session=session, actor=request.user)
        tz = session.district.tz
        header = [
            "Last name",
            "First name",
            "Email",
            "School or program",
            "Status",
            "Waitlist position",
            "Required",
            "Registered at",
        ]
        body = [
            [
                r.staff.last_name,
                r.staff.first_name,
                r.staff.email,
                str(r.school or r.program or ""),
                r.get_status_display(),
                r.position or "",
                "yes" if r.assigned else "",
                timezone.localtime(r.created_at, tz).strftime("%Y-%m-%d %H:%M"),
            ]
            for r in roster
        ]
        return csv_response(f"session-{session.pk}-registrations.csv", header, body)
    groups = {
        "seats": [r for r in roster if r.status in Registration.HOLDS_SEAT],
        "waitlist": [r for r in roster if r.status == Status.WAITLISTED],
        "others": [r for r in roster if r.status not in Registration.ACTIVE],
    }
    return render(
        request,
        "catalog/registration/session_registrations.html",
        {"session": session, **groups},
    )


urls = [
    path("my-learning/", my_learning, name="my-learning"),
    path("registrations/approvals/", registration_approvals, name="registration-approvals"),
    path("registrations/<int:pk>/", registration_detail, name="registration-detail"),
    path("registrations/<int:pk>/cancel/", registration_cancel, name="registration-cancel"),
    path("registrations/<int:pk>/approve/", registration_approve, name="registration-approve"),
    path("registrations/<int:pk>/deny/", registration_deny, name="registration-deny"),
    path("sessions/<int:pk>/register/", session_register, name="session-register"),
    path("sessions/<int:pk>/assign/", session_assign, name="session-assign"),
    path("sessions/<int:pk>/registrations/", session_registrations, name="session-registrations"),
]

"""Transcript and external-hours pages. Views parse, ask access, call a service or selector,
and render. A refusal shows inline on its form (400), or, when the entry's state forbids the
step, as a message on the entry's page."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_GET, require_POST

from cadre.catalog.forms.transcript import ExternalHoursEditForm, ExternalHoursForm, ReturnForm
from cadre.catalog.models import ExternalHours
from cadre.catalog.selectors import transcript as selectors
from cadre.catalog.services import transcript as services
from cadre.catalog.views import transcript_export as export
from cadre.core import attachments
from cadre.core.views import act, actor_required, paginate, parse_choice, parse_int, save_form
from cadre.core.views import transition as step
from cadre.districts import access
from cadre.growth.selectors import history

Status = ExternalHours.Status


# --- the transcript --------------------------------------------------------------------------


def _transcript(request, pk: int | None):
    actor = request.actor
    staff = selectors.transcript_staff(actor, pk)
    years = selectors.school_years(actor.district)
    year = selectors.pick_year(years, parse_int(request.GET.get("year")))
    return selectors.transcript(actor, staff, year), years


def _page(request, pk: int | None = None):
    actor = request.actor
    transcript, years = _transcript(request, pk)
    own = transcript.staff.pk == actor.staff.pk
    query = f"?year={transcript.year.pk}" if transcript.year else ""
    if own:
        exports = (reverse("transcript-csv") + query, reverse("transcript-pdf") + query)
    else:
        args = [transcript.staff.pk]
        exports = (
            reverse("staff-transcript-csv", args=args) + query,
            reverse("staff-transcript-pdf", args=args) + query,
        )
    pending = (
        selectors.external_hours_list(actor, staff=transcript.staff)
        .filter(status__in=[Status.SUBMITTED, Status.RETURNED])
        .count()
    )
    return render(
        request,
        "catalog/transcript/transcript.html",
        {
            "t": transcript,
            "years": years,
            "own": own,
            "csv_url": exports[0],
            "pdf_url": exports[1],
            "pending": pending,
            "waiting": selectors.waiting_count(actor) if own else 0,
        },
    )


@require_GET
@actor_required
def transcript(request):
    return _page(request)


@require_GET
@actor_required
def staff_transcript(request, pk: int):
    return _page(request, pk)


def _export(request, pk: int | None, make):
    transcript, _years = _transcript(request, pk)
    return make(transcript)


@require_GET
@actor_required
def transcript_csv(request):
    return _export(request, None, export.csv_export)


@require_GET
@actor_required
def transcript_pdf(request):
    return _export(request, None, export.pdf_export)


@require_GET
@actor_required
def staff_transcript_csv(request, pk: int):
    return _export(request, pk, export.csv_export)


@require_GET
@actor_required
def staff_transcript_pdf(request, pk: int):
    return _export(request, pk, export.pdf_export)


# --- external hours --------------------------------------------------------------------------


@require_GET
@actor_required
def external_hours_list(request):
    actor = request.actor
    access.require(actor, "list", ExternalHours)
    status = parse_choice(request.GET.get("status"), Status.choices)
    years = selectors.school_years(actor.district)
    year = selectors.pick_year(years, parse_int(request.GET.get("year")))
    qs = selectors.external_hours_list(actor, staff=actor.staff, status=status, year=year)
    return render(
        request,
        "catalog/transcript/external_hours_list.html",
        {
            "page": paginate(request, qs),
            "status": status,
            "statuses": Status.choices,
            "years": years,
            "year": year,
            "waiting": selectors.waiting_count(actor),
            "can_create": access.can(actor, "create", ExternalHours),
        },
    )


@require_GET
@actor_required
def external_hours_queue(request):
    actor = request.actor
    access.require(actor, "approve", ExternalHours)
    return render(
        request,
        "catalog/transcript/external_hours_queue.html",
        {"page": paginate(request, selectors.external_hours_queue(actor))},
    )


@actor_required
def external_hours_create(request):
    actor = request.actor
    access.require(actor, "create", ExternalHours)
    form = ExternalHoursForm(request.POST or None, request.FILES or None)
    return save_form(
        request,
        form,
        lambda data: services.external_hours_create(
            staff=actor.staff, actor=request.user, data=data, upload=data.get("file")
        ),
        title="Enter external hours",
        cancel=reverse("external-hours-list"),
        template="catalog/transcript/external_hours_form.html",
    )


def _detail_page(request, entry, *, return_form=None, status: int = 200):
    actor = request.actor
    editable = entry.status in services.EDITABLE
    submitted = entry.status == Status.SUBMITTED
    return render(
        request,
        "catalog/transcript/external_hours_detail.html",
        {
            "entry": entry,
            "events": history(entry),
            "is_author": entry.staff_id == actor.staff.pk,
            "can_edit": editable and access.can(actor, "change", entry),
            "can_submit": editable and access.can(actor, "submit", entry),
            "can_withdraw": submitted and access.can(actor, "withdraw", entry),
            "can_decide": submitted and access.can(actor, "approve", entry),
            "return_form": return_form or ReturnForm(auto_id="return_%s"),
        },
        status=status,
    )


@require_GET
@actor_required
def external_hours_detail(request, pk: int):
    return _detail_page(request, selectors.external_hours_detail(request.actor, pk))


@actor_required
def external_hours_edit(request, pk: int):
    actor = request.actor
    entry = selectors.external_hours_detail(actor, pk)
    access.require(actor, "change", entry)
    if entry.status not in services.EDITABLE:
        messages.error(
            request,
            f"These hours are {entry.get_status_display().lower()}; "
            + (
                "withdraw them to change them."
                if entry.status == Status.SUBMITTED
                else "they are no longer changed."
            ),
        )
        return redirect(entry.get_absolute_url())
    initial = {
        name: getattr(entry, name)
        for name in ("title", "provider", "completed_on", "hours", "category", "evidence")
    }
    form = ExternalHoursEditForm(request.POST or None, request.FILES or None, initial=initial)

    def save(data):
        return services.external_hours_update(
            entry=entry,
            actor=request.user,
            data=data,
            upload=data.get("file"),
            remove_file=bool(data.get("remove_file")),
        )

    return save_form(
        request,
        form,
        save,
        title=f"Correct {entry.title}",
        cancel=entry.get_absolute_url(),
        template="catalog/transcript/external_hours_form.html",
        extra={"entry": entry},
    )


def _step(request, pk: int, action: str, service, done: str):
    actor = request.actor
    entry = selectors.external_hours_detail(actor, pk)
    access.require(actor, action, entry)
    return step(request, lambda: service(entry=entry, actor=request.user), entry, done=done)


@require_POST
@actor_required
def external_hours_submit(request, pk: int):
    return _step(
        request,
        pk,
        "submit",
        services.external_hours_submit,
        "Submitted again; your supervisor decides next.",
    )


@require_POST
@actor_required
def external_hours_withdraw(request, pk: int):
    return _step(
        request,
        pk,
        "withdraw",
        services.external_hours_withdraw,
        "Withdrawn; correct the entry and submit it again when you are ready.",
    )


@require_POST
@actor_required
def external_hours_approve(request, pk: int):
    return _step(
        request,
        pk,
        "approve",
        services.external_hours_approve,
        "Approved; the hours count on the transcript.",
    )


@require_POST
@actor_required
def external_hours_return(request, pk: int):
    actor = request.actor
    entry = selectors.external_hours_detail(actor, pk)
    access.require(actor, "return", entry)
    return act(
        request,
        entry,
        ReturnForm(request.POST, auto_id="return_%s"),
        lambda data: services.external_hours_return(
            entry=entry, actor=request.user, comment=data["comment"]
        ),
        done="Returned with your comment.",
        page=lambda form: _detail_page(request, entry, return_form=form, status=400),
    )


@require_GET
@actor_required
def external_hours_file(request, pk: int):
    """The evidence file, to those who see the entry: its stored type, always a download."""
    entry = selectors.external_hours_detail(request.actor, pk)
    access.require(request.actor, "view", entry)
    if not entry.file:
        raise Http404("No file is attached.")
    return attachments.download(entry.file, content_type=entry.file_type)


urls = [
    path("transcript/", transcript, name="transcript"),
    path("transcript/export.csv", transcript_csv, name="transcript-csv"),
    path("transcript/export.pdf", transcript_pdf, name="transcript-pdf"),
    path("transcript/<int:pk>/", staff_transcript, name="staff-transcript"),
    path("transcript/<int:pk>/export.csv", staff_transcript_csv, name="staff-transcript-csv"),
    path("transcript/<int:pk>/export.pdf", staff_transcript_pdf, name="staff-transcript-pdf"),
    path("external-hours/", external_hours_list, name="external-hours-list"),
    path("external-hours/new/", external_hours_create, name="external-hours-create"),
    path("external-hours/queue/", external_hours_queue, name="external-hours-queue"),
    path("external-hours/<int:pk>/", external_hours_detail, name="external-hours-detail"),
    path("external-hours/<int:pk>/edit/", external_hours_edit, name="external-hours-edit"),
    path("external-hours/<int:pk>/submit/", external_hours_submit, name="external-hours-submit"),
    path(
        "external-hours/<int:pk>/withdraw/",
        external_hours_withdraw,
        name="external-hours-withdraw",
    ),
    path("external-hours/<int:pk>/approve/", external_hours_approve, name="external-hours-approve"),
    path("external-hours/<int:pk>/return/", external_hours_return, name="external-hours-return"),
    path("external-hours/<int:pk>/file/", external_hours_file, name="external-hours-file"),
]

"""Stipend pages: schedules, awards (create, approve, cancel), payroll batches and each batch's
CSV for payroll (audited)."""

from django.contrib import messages
from django.db.models import Q
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_POST

from cadre.core.errors import DomainError
from cadre.core.views import (
    actor_required,
    form_error,
    paginate,
    parse_choice,
    parse_int,
    save_form,
    transition,
)
from cadre.districts import access
from cadre.districts.models import SchoolYear
from cadre.funding import exports, selectors
from cadre.funding.forms import AwardForm, PayrollForm, ScheduleForm
from cadre.funding.models import LedgerEntry, PayrollBatch, StipendAward, StipendSchedule
from cadre.funding.services import stipends as services


@actor_required
def schedule_list(request):
    actor = request.actor
    access.require(actor, "list", StipendSchedule)
    year = parse_int(request.GET.get("year"))
    return render(
        request,
        "funding/schedule_list.html",
        {
            "page": paginate(request, selectors.schedule_list(actor, school_year=year)),
            "years": SchoolYear.objects.filter(district=actor.district),
            "can_create": access.can(actor, "create", StipendSchedule),
        },
    )


@actor_required
def schedule_create(request):
    actor = request.actor
    access.require(actor, "create", StipendSchedule)
    current = SchoolYear.objects.filter(district=actor.district, is_current=True).first()
    return save_form(
        request,
        ScheduleForm(
            request.POST or None, initial={"school_year": current}, district=actor.district
        ),
        lambda data: services.schedule_create(
            district=actor.district, actor=request.user, data=data
        ),
        title="New stipend schedule",
        cancel=reverse("stipend-schedule-list"),
    )


@actor_required
def schedule_edit(request, pk: int):
    actor = request.actor
    schedule = access.get_visible_or_404(actor, StipendSchedule, pk=pk)
    access.require(actor, "change", schedule)
    return save_form(
        request,
        ScheduleForm(
            request.POST or None,
            instance=StipendSchedule.objects.get(pk=pk),
            district=actor.district,
        ),
        lambda data: services.schedule_update(schedule=schedule, actor=request.user, data=data),
        title=f"Edit {schedule}",
        cancel=reverse("stipend-schedule-list"),
    )


@actor_required
def award_list(request):
    actor = request.actor
    access.require(actor, "list", StipendAward)
    status = parse_choice(request.GET.get("status"), StipendAward.Status.choices)
    qs = selectors.award_list(
        actor,
        status=status,
        schedule=parse_int(request.GET.get("schedule")),
        q=request.GET.get("q", "").strip(),
    )
    return render(
        request,
        "funding/award_list.html",
        {
            "page": paginate(request, qs),
            "statuses": StipendAward.Status.choices,
            "status": status,
            "can_create": access.can(actor, "create", StipendAward),
            "can_pay": access.can(actor, "create", PayrollBatch),
        },
    )


@actor_required
def award_create(request):
    actor = request.actor
    access.require(actor, "create", StipendAward)
    form = AwardForm(request.POST or None, district=actor.district)

    def save(data):
        return services.award_create(district=actor.district, actor=request.user, **data)

    return save_form(
        request, form, save, title="New stipend award", cancel=reverse("stipend-award-list")
    )


@actor_required
def award_detail(request, pk: int):
    actor = request.actor
    award = access.get_visible_or_404(actor, selectors.award_list(actor), pk=pk)
    entries = []
    if award.encumbrance_id:
        entries = (
            LedgerEntry.objects.filter(
                Q(pk=award.encumbrance_id) | Q(encumbrance_id=award.encumbrance_id)
            )
            .select_related("posted_by")
            .prefetch_related("posted_by__staff_records")
        )
    return render(
        request,
        "funding/award_detail.html",
        {
            "award": award,
            "entries": entries,
            "can_approve": access.can(actor, "approve", award)
            and award.status == StipendAward.Status.PROPOSED,
            "can_cancel": access.can(actor, "cancel", award)
            and award.status in (StipendAward.Status.PROPOSED, StipendAward.Status.APPROVED),
        },
    )


@require_POST
@actor_required
def award_approve(request, pk: int):
    actor = request.actor
    award = access.get_visible_or_404(actor, StipendAward, pk=pk)
    access.require(actor, "approve", award)
    return transition(
        request,
        lambda: services.award_approve(award=award, actor=request.user),
        award,
        done="Approved; the stipend is encumbered.",
    )


@require_POST
@actor_required
def award_cancel(request, pk: int):
    actor = request.actor
    award = access.get_visible_or_404(actor, StipendAward, pk=pk)
    access.require(actor, "cancel", award)
    reason = request.POST.get("reason", "").strip()
    return transition(
        request,
        lambda: services.award_cancel(award=award, actor=request.user, reason=reason),
        award,
        done="Cancelled; anything held is released.",
    )


@actor_required
def payroll(request):
    actor = request.actor
    access.require(actor, "list", PayrollBatch)
    ready = selectors.award_list(actor, status=StipendAward.Status.APPROVED)
    form = PayrollForm(request.POST or None, awards=ready, initial={"paid_on": actor.today})
    if request.method == "POST":
        access.require(actor, "create", PayrollBatch)
        if form.is_valid():
            try:
                batch = services.payroll_batch_create(
                    district=actor.district,
                    actor=request.user,
                    awards=list(form.cleaned_data["awards"]),
                    paid_on=form.cleaned_data["paid_on"],
                )
            except DomainError as exc:
                form_error(form, exc)
            else:
                messages.success(
                    request,
                    f"Batch {batch.pk}: {batch.count} stipends marked paid (${batch.total:,.2f}). "
                    "Download its CSV for payroll.",
                )
                return redirect("payroll")
    return render(
        request,
        "funding/payroll.html",
        {"form": form, "ready": ready, "page": paginate(request, selectors.batch_list(actor))},
        status=400 if request.method == "POST" else 200,
    )


@actor_required
def payroll_batch_csv(request, pk: int):
    actor = request.actor
    batch = access.get_visible_or_404(actor, PayrollBatch, pk=pk)
    header = [
        "employee_id",
        "last_name",
        "first_name",
        "role",
        "schedule",
        "months",
        "amount",
        "funding_source",
        "account_code",
        "budget_owner",
        "award_id",
        "batch_id",
        "paid_on",
    ]
    body = [
        [
            a.staff.employee_id,
            a.staff.last_name,
            a.staff.first_name,
            a.schedule.get_role_display(),
            a.schedule.name,
            a.months,
            a.amount,
            a.budget.source.name,
            a.budget.source.code,
            a.budget.owner,
            a.pk,
            batch.pk,
            batch.paid_on.isoformat(),
        ]
        for a in selectors.batch_awards(batch).select_related("budget__school", "budget__program")
    ]
    services.payroll_exported(batch=batch, actor=request.user)
    return exports.csv_response(f"payroll-batch-{batch.pk}.csv", header, body)


urls = [
    path("stipends/", award_list, name="stipend-award-list"),
    path("stipends/new/", award_create, name="stipend-award-create"),
    path("stipends/<int:pk>/", award_detail, name="stipend-award-detail"),
    path("stipends/<int:pk>/approve/", award_approve, name="stipend-award-approve"),
    path("stipends/<int:pk>/cancel/", award_cancel, name="stipend-award-cancel"),
    path("stipends/schedules/", schedule_list, name="stipend-schedule-list"),
    path("stipends/schedules/new/", schedule_create, name="stipend-schedule-create"),
    path("stipends/schedules/<int:pk>/edit/", schedule_edit, name="stipend-schedule-edit"),
    path("payroll/", payroll, name="payroll"),
    path("payroll/<int:pk>/csv/", payroll_batch_csv, name="payroll-batch-csv"),
]

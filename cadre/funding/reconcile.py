"""Check every ledger invariant and describe each breach in words.

- Each budget's running totals equal the sums of its entries.
- No budget is overdrawn and no spending is below zero.
- An expenditure or release closes an encumbrance of the same budget, at most once, and a
  release gives back exactly what was held.
- Every entry's cause, staff member and budget exist and belong to the entry's district.
- Stipend awards agree with their entries: approved awards hold an open encumbrance, paid ones
  a paid one, cancelled ones none left open.
"""

from collections import defaultdict

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, F, Q, Sum
from django_scopes import scopes_disabled

from cadre.funding.models import ZERO, Budget, LedgerEntry, StipendAward

UNITS = ("amount", "hours", "days")
Kind = LedgerEntry.Kind


def _sums(qs, prefix: str = "") -> dict:
    return {u: Sum(f"{prefix}{u}") for u in UNITS}


def reconcile(district=None) -> list[str]:
    problems: list[str] = []
    with scopes_disabled():
        budgets = Budget.objects.select_related("source", "fiscal_year", "school", "program")
        entries = LedgerEntry.objects.all()
        awards = StipendAward.objects.all()
        if district is not None:
            budgets = budgets.filter(district=district)
            entries = entries.filter(district=district)
            awards = awards.filter(district=district)
        problems += _totals(budgets, entries)
        problems += _closures(entries)
        problems += _links(entries)
        problems += _awards(awards)
    return problems


def _totals(budgets, entries) -> list[str]:
    by_kind: dict[tuple[int, str], dict] = {}
    for row in entries.order_by().values("budget_id", "kind").annotate(**_sums(entries)):
        by_kind[(row["budget_id"], row["kind"])] = row
    closed: dict[int, dict] = {}
    for row in (
        entries.filter(encumbrance__isnull=False)
        .order_by()
        .values("encumbrance__budget_id")
        .annotate(**_sums(entries, "encumbrance__"))
    ):
        closed[row["encumbrance__budget_id"]] = row
    problems = []
    for budget in budgets.iterator(chunk_size=2000):
        for unit in UNITS:

            def total(kind, unit=unit, budget=budget):
                return (by_kind.get((budget.pk, kind)) or {}).get(unit) or ZERO

            committed = total(Kind.ENCUMBRANCE) - ((closed.get(budget.pk) or {}).get(unit) or ZERO)
            spent = total(Kind.EXPENDITURE) + total(Kind.ADJUSTMENT)
            for label, expected, stored in (
                ("committed", committed, getattr(budget, f"committed_{unit}")),
                ("spent", spent, getattr(budget, f"spent_{unit}")),
            ):
                if expected != stored:
                    problems.append(
                        f"Budget {budget.pk} ({budget}): {label} {unit} is {stored:.2f} but "
                        f"its entries add up to {expected:.2f}."
                    )
            if getattr(budget, f"spent_{unit}") < 0:
                problems.append(f"Budget {budget.pk} ({budget}): spent {unit} is below zero.")
            left = getattr(budget, f"remaining_{unit}")
            if left < 0:
                problems.append(f"Budget {budget.pk} ({budget}): overdrawn by {-left} {unit}.")
    return problems


def _closures(entries) -> list[str]:
    problems = []
    closing = entries.filter(encumbrance__isnull=False)
    for entry in closing.exclude(kind__in=[Kind.EXPENDITURE, Kind.RELEASE]).only("pk", "kind"):
        problems.append(f"Entry {entry.pk}: a {entry.kind} cannot close an encumbrance.")
    for entry in closing.exclude(encumbrance__kind=Kind.ENCUMBRANCE).only("pk", "encumbrance_id"):
        problems.append(
            f"Entry {entry.pk} closes entry {entry.encumbrance_id}, which is not an encumbrance."
        )
    for entry in closing.exclude(encumbrance__budget_id=F("budget_id")).only("pk"):
        problems.append(f"Entry {entry.pk} closes an encumbrance of another budget.")
    mismatched = closing.filter(kind=Kind.RELEASE).exclude(
        amount=F("encumbrance__amount"), hours=F("encumbrance__hours"), days=F("encumbrance__days")
    )
    for entry in mismatched.only("pk", "encumbrance_id"):
        problems.append(
            f"Release {entry.pk} does not give back what encumbrance {entry.encumbrance_id} held."
        )
    twice = closing.order_by().values("encumbrance_id").annotate(n=Count("id")).filter(n__gt=1)
    for row in twice:
        problems.append(f"Encumbrance {row['encumbrance_id']} is closed {row['n']} times.")
    negative = entries.exclude(kind=Kind.ADJUSTMENT).filter(
        Q(amount__lt=0) | Q(hours__lt=0) | Q(days__lt=0)
    )
    for entry in negative.only("pk", "kind"):
        problems.append(f"Entry {entry.pk}: a {entry.kind} with a negative figure.")
    return problems


def _links(entries) -> list[str]:
    problems = []
    for entry in entries.exclude(budget__district_id=F("district_id")).only("pk"):
        problems.append(f"Entry {entry.pk} is posted to another district's budget.")
    for entry in (
        entries.filter(staff__isnull=False).exclude(staff__district_id=F("district_id")).only("pk")
    ):
        problems.append(f"Entry {entry.pk} names a staff member of another district.")
    for entry in entries.filter(
        Q(cause_type__isnull=True, cause_id__isnull=False)
        | Q(cause_type__isnull=False, cause_id__isnull=True)
    ).only("pk"):
        problems.append(f"Entry {entry.pk} has half a link to its cause.")
    wanted: dict[int, set[int]] = defaultdict(set)
    for type_id, cause_id in (
        entries.filter(cause_type__isnull=False, cause_id__isnull=False)
        .order_by()
        .values_list("cause_type_id", "cause_id")
        .distinct()
    ):
        wanted[type_id].add(cause_id)
    for type_id, ids in wanted.items():
        model = ContentType.objects.get_for_id(type_id).model_class()
        if model is None:
            problems.append(f"Entries point at causes of a removed kind (content type {type_id}).")
            continue
        found = set(model._base_manager.filter(pk__in=ids).values_list("pk", flat=True))
        for missing in sorted(ids - found):
            orphans = entries.filter(cause_type_id=type_id, cause_id=missing)
            for pk in orphans.values_list("pk", flat=True):
                problems.append(
                    f"Entry {pk} is an orphan: its cause, {model._meta.verbose_name} {missing}, "
                    "no longer exists."
                )
    return problems


def _awards(awards) -> list[str]:
    problems = []
    S = StipendAward.Status
    rows = awards.select_related("encumbrance", "encumbrance__closed_by").only(
        "pk", "status", "amount", "encumbrance"
    )
    for award in rows.iterator(chunk_size=2000):
        enc = award.encumbrance
        closure = getattr(enc, "closed_by", None) if enc else None
        if award.status == S.APPROVED and (enc is None or closure is not None):
            problems.append(f"Stipend award {award.pk} is approved but holds no open encumbrance.")
        elif award.status == S.PAID and (closure is None or closure.kind != Kind.EXPENDITURE):
            problems.append(f"Stipend award {award.pk} is paid but no expenditure closes it.")
        elif award.status == S.CANCELLED and enc is not None and closure is None:
            problems.append(f"Stipend award {award.pk} is cancelled but its money is still held.")
        elif award.status == S.PROPOSED and enc is not None:
            problems.append(f"Stipend award {award.pk} is only proposed but already encumbered.")
        if enc is not None and enc.amount != award.amount:
            problems.append(
                f"Stipend award {award.pk} is for {award.amount} but encumbers {enc.amount}."
            )
    return problems

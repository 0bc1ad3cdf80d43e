"""Completion rules, pluggable.

A rule looks at a registration (with its session, offering and attendance) and answers None
when it is met, or a short reason when it is not ("Attended 90 of 180 minutes; 80% (144)
needed"). `RULES` holds them by name; `register_rule` adds one, so another capability adds its
own condition with one call, for example:

    register_rule("feedback", Rule("Feedback submitted", feedback_submitted))

Which rules apply to a registration (`rules_for`):
- `attendance`, always: a minimum share of the session's credited minutes attended
  (`offering.min_attendance_percent`);
- `modules`, always for a self-paced offering: every module attested;
- and the extra rules the offering names in `completion_rules` (the offerings service refuses
  unknown names, offering `rule_choices()` on its form).

Rules read `registration.attendance.all()` and `registration.session.meetings.all()`, so a
caller evaluating many registrations prefetches them (`PREFETCH`).
"""

from collections.abc import Callable
from dataclasses import dataclass

from cadre.catalog.models import Registration

Check = Callable[[Registration], str | None]


@dataclass(frozen=True)
class Rule:
    """A completion condition: its label (shown on forms) and its check."""

    label: str
    check: Check
    help_text: str = ""

    def __call__(self, registration: Registration) -> str | None:
        return self.check(registration)


RULES: dict[str, Rule] = {}

# Applied whatever the offering names.
ALWAYS = ("attendance",)

# What a caller prefetches to evaluate registrations without a query per rule.
PREFETCH = ("attendance", "session__meetings")


def register_rule(name: str, rule: Rule | Check, *, label: str = "") -> Rule:
    """Add (or replace) the rule called `name`. A plain function is wrapped as a Rule."""
    if not isinstance(rule, Rule):
        rule = Rule(label or name.replace("_", " ").capitalize(), rule)
    RULES[name] = rule
    return rule


def rule_choices() -> list[tuple[str, str]]:
    """The rules an offering may add, for its form (the always-applied ones are not choices)."""
    return [(name, rule.label) for name, rule in RULES.items() if name not in ALWAYS]


def rules_for(offering) -> list[str]:
    """The names of the rules that decide completion of this offering, in order."""
    names = list(ALWAYS)
    if offering.is_self_paced:
        names.append("modules")
    for name in offering.completion_rules or []:
        if name not in names:
            names.append(name)
    return names


def unmet(registration: Registration) -> list[str]:
    """The reasons the registration does not (yet) complete; empty when every rule is met.
    A rule the offering names that is no longer registered is reported, never skipped."""
    reasons = []
    for name in rules_for(registration.session.offering):
        rule = RULES.get(name)
        if rule is None:
            reasons.append(f"The completion rule “{name}” is not known.")
            continue
        reason = rule(registration)
        if reason:
            reasons.append(reason)
    return reasons


# --- facts the rules share -------------------------------------------------------------------


def needed_minutes(total: int, percent: int) -> int:
    """The minutes that make `percent` of `total`, rounded up so the share is never short."""
    return -(-total * percent // 100)


def attended_minutes(registration: Registration) -> int:
    """Credited minutes attended across the session's meetings and modules, each never more
    than its meeting now credits."""
    credited = {m.pk: m.minutes for m in registration.session.meetings.all()}
    return sum(
        min(a.minutes, credited.get(a.meeting_id, 0))
        for a in registration.attendance.all()
        if a.present
    )


def modules_of(registration: Registration) -> list:
    return [m for m in registration.session.meetings.all() if m.starts_at is None]


def attested_module_ids(registration: Registration) -> set[int]:
    return {a.meeting_id for a in registration.attendance.all() if a.present}


# --- the built-in rules ----------------------------------------------------------------------


def _attendance(registration: Registration) -> str | None:
    session = registration.session
    total = session.minutes
    if total <= 0:
        return "The session has no credited minutes to attend."
    percent = session.offering.min_attendance_percent
    need = needed_minutes(total, percent)
    attended = attended_minutes(registration)
    if attended >= need:
        return None
    return f"Attended {attended} of {total} minutes; {percent}% ({need}) needed"


def _modules(registration: Registration) -> str | None:
    modules = modules_of(registration)
    done = attested_module_ids(registration)
    left = [m for m in modules if m.pk not in done]
    if not left:
        return None
    return f"{len(modules) - len(left)} of {len(modules)} modules attested"


register_rule(
    "attendance",
    Rule(
        "Minimum share of minutes attended",
        _attendance,
        "Always applied: the offering's minimum share of the session's credited minutes.",
    ),
)
register_rule(
    "modules",
    Rule(
        "Every module attested",
        _modules,
        "Each module completed with an attestation and evidence. Always applied when self-paced.",
    ),
)

"""Writes for rubrics, the district's observation frameworks: a rubric's domains, and each
domain's components with their four performance levels. Once observations have used a rubric,
its domains and components stay: retire it and make a new one instead."""

from collections.abc import Mapping, Sequence
from typing import Any

from django.db import transaction
from django.db.models import Max

from cadre.audit.models import AuditEvent
from cadre.audit.services import audit_event
from cadre.coaching.models import LEVELS, Component, Domain, Level, Observation, Rubric
from cadre.coaching.services.common import _text
from cadre.core.errors import Conflict, DomainError
from cadre.core.workflow import audited_update
from cadre.districts.models import District
from cadre.districts.services import _create

RUBRIC_FIELDS = ["name", "description", "is_active"]


DOMAIN_FIELDS = ["number", "name"]


COMPONENT_FIELDS = ["code", "name"]


LEVEL_FIELDS = ["label", "descriptor"]


def rubric_in_use(rubric: Rubric) -> bool:
    """Observations have used it: its components and domains stay."""
    return Observation.objects.filter(rubric=rubric).exists()


def _check_rubric_name(district: District, name: str, rubric: Rubric | None = None) -> None:
    taken = Rubric.objects.filter(district=district, name__iexact=(name or "").strip())
    if rubric is not None:
        taken = taken.exclude(pk=rubric.pk)
    if taken.exists():
        raise Conflict("rubric.name_taken", f"The district already has a rubric named “{name}”.")


@transaction.atomic
def rubric_create(*, district: District, actor, data: Mapping[str, Any]) -> Rubric:
    """A new observation framework. `data`: name, description, is_active."""
    _check_rubric_name(district, data.get("name", ""))
    return _create(Rubric, district=district, actor=actor, fields=RUBRIC_FIELDS, data=dict(data))


@transaction.atomic
def rubric_update(*, rubric: Rubric, actor, data: Mapping[str, Any]) -> Rubric:
    """Rename, describe, retire (is_active False) or bring back a rubric."""
    if "name" in data:
        _check_rubric_name(rubric.district, data["name"], rubric)
    return audited_update(rubric, actor=actor, fields=RUBRIC_FIELDS, data=dict(data))


@transaction.atomic
def domain_create(*, rubric: Rubric, actor, data: Mapping[str, Any]) -> Domain:
    """A domain of the rubric. `data`: name, and number (the next one when blank)."""
    data = dict(data)
    if not data.get("number"):
        top = Domain.objects.filter(rubric=rubric).aggregate(top=Max("number"))["top"]
        data["number"] = (top or 0) + 1
    if Domain.objects.filter(rubric=rubric, number=data["number"]).exists():
        raise DomainError(
            "domain.number_taken", f"Domain {data['number']} already exists.", field="number"
        )
    return _create(
        Domain,
        district=rubric.district,
        actor=actor,
        fields=["rubric", *DOMAIN_FIELDS],
        data={**data, "rubric": rubric},
    )


@transaction.atomic
def domain_update(*, domain: Domain, actor, data: Mapping[str, Any]) -> Domain:
    number = data.get("number")
    if (
        number
        and Domain.objects.filter(rubric_id=domain.rubric_id, number=number)
        .exclude(pk=domain.pk)
        .exists()
    ):
        raise DomainError("domain.number_taken", f"Domain {number} already exists.", field="number")
    return audited_update(domain, actor=actor, fields=DOMAIN_FIELDS, data=dict(data))


@transaction.atomic
def domain_delete(*, domain: Domain, actor) -> None:
    """Remove a domain with its components, unless observations used the rubric."""
    if Component.objects.filter(domain=domain).exists() and rubric_in_use(domain.rubric):
        raise Conflict(
            "rubric.in_use",
            "Observations have used this rubric, so its components stay. Retire the rubric "
            "and make a new one instead.",
        )
    audit_event(district=domain.district, actor=actor, action=AuditEvent.Action.DELETE, obj=domain)
    domain.delete()


def _clean_levels(levels: Sequence[Mapping[str, Any]], *, complete: bool) -> dict[int, dict]:
    """Levels as {1: {"label", "descriptor"}, …}. Each item may name its `level` (1–4); an
    item without one takes its position. `complete`: all four must be given."""
    cleaned: dict[int, dict] = {}
    for position, item in enumerate(levels, start=1):
        try:
            number = int(item.get("level") or position)
        except (TypeError, ValueError):
            number = 0
        if number not in LEVELS:
            raise DomainError("component.level", "Levels run from 1 to 4.", field="levels")
        if number in cleaned:
            raise DomainError("component.level_twice", f"Level {number} is given twice.")
        label = _text(item.get("label"), field=f"level_{number}_label", limit=50)
        descriptor = _text(item.get("descriptor"), field=f"level_{number}_descriptor")
        if not label or not descriptor:
            raise DomainError(
                "component.level_blank",
                f"Level {number} needs a label and a descriptor.",
                field=f"level_{number}_{'label' if not label else 'descriptor'}",
            )
        cleaned[number] = {"label": label, "descriptor": descriptor}
    if complete and sorted(cleaned) != list(LEVELS):
        raise DomainError(
            "component.four_levels",
            "A component describes all four performance levels, 1 to 4.",
            field="levels",
        )
    return cleaned


def _check_code(domain: Domain, code: str, component: Component | None = None) -> None:
    taken = Component.objects.filter(domain=domain, code__iexact=(code or "").strip())
    if component is not None:
        taken = taken.exclude(pk=component.pk)
    if taken.exists():
        raise DomainError(
            "component.code_taken", f"This domain already has a component {code}.", field="code"
        )


@transaction.atomic
def component_create(
    *, domain: Domain, actor, data: Mapping[str, Any], levels: Sequence[Mapping[str, Any]]
) -> Component:
    """A component (`data`: code, name) with its four performance levels, each a mapping of
    label and descriptor (and optionally level 1–4; else their order)."""
    cleaned = _clean_levels(levels, complete=True)
    _check_code(domain, data.get("code", ""))
    component = _create(
        Component,
        district=domain.district,
        actor=actor,
        fields=["domain", *COMPONENT_FIELDS],
        data={**data, "domain": domain},
    )
    Level.objects.bulk_create(
        Level(district=domain.district, component=component, level=n, **cleaned[n]) for n in LEVELS
    )
    return component


@transaction.atomic
def component_update(
    *,
    component: Component,
    actor,
    data: Mapping[str, Any] | None = None,
    levels: Sequence[Mapping[str, Any]] | None = None,
) -> Component:
    """Change the code and name (`data`) and any of the levels' labels and descriptors
    (`levels`, as for `component_create`; levels not given stay as they are)."""
    data = dict(data or {})
    if "code" in data:
        _check_code(component.domain, data["code"], component)
    component = audited_update(component, actor=actor, fields=COMPONENT_FIELDS, data=data)
    cleaned = _clean_levels(levels or [], complete=False)
    existing = {lv.level: lv for lv in Level.objects.filter(component=component)}
    for number, values in cleaned.items():
        if number in existing:
            audited_update(existing[number], actor=actor, fields=LEVEL_FIELDS, data=values)
        else:
            _create(
                Level,
                district=component.district,
                actor=actor,
                fields=["component", "level", *LEVEL_FIELDS],
                data={"component": component, "level": number, **values},
            )
    if Level.objects.filter(component=component).count() != len(LEVELS):
        raise DomainError(
            "component.four_levels",
            "A component describes all four performance levels, 1 to 4.",
            field="levels",
        )
    return component


@transaction.atomic
def component_delete(*, component: Component, actor) -> None:
    """Remove a component and its levels, unless observations used the rubric."""
    if rubric_in_use(component.domain.rubric):
        raise Conflict(
            "rubric.in_use",
            "Observations have used this rubric, so its components stay. Retire the rubric "
            "and make a new one instead.",
        )
    audit_event(
        district=component.district, actor=actor, action=AuditEvent.Action.DELETE, obj=component
    )
    component.delete()

"""The one place that decides what a user may see and do.

Every view and API endpoint asks `visible()` for the rows it may show and `require()` before
it changes anything. Apps add their own models with `register()`; new roles (coach, mentor,
facilitator, leadership grants) add facts to `Actor` and rules in their app, not here.

- An object the actor may not see answers 404 (`get_visible_or_404`).
- A visible object the actor may not change answers 403 (`require`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Any

from django.core.exceptions import (
    MultipleObjectsReturned,
    ObjectDoesNotExist,
    PermissionDenied,
)
from django.db.models import Model, Q, QuerySet
from django.http import Http404
from django_scopes import scopes_disabled
from django_scopes.state import get_scope

from cadre.districts.models import (
    Assignment,
    District,
    ImportRun,
    Program,
    Role,
    School,
    SchoolYear,
    Staff,
)

LEADER_ROLES = {Role.PRINCIPAL, Role.ASSISTANT_PRINCIPAL}


@dataclass(frozen=True)
class Actor:
    """Who is asking, in which district, with which current assignments."""

    user: Any
    staff: Staff
    district: District
    roles: frozenset[str] = frozenset()
    led_school_ids: frozenset[int] = frozenset()
    principal_school_ids: frozenset[int] = frozenset()
    directed_program_ids: frozenset[int] = frozenset()
    school_ids: frozenset[int] = frozenset()
    program_ids: frozenset[int] = frozenset()
    # Districts where this login has an active staff record: more than one lets them switch.
    district_count: int = 1
    extra: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    @property
    def is_district_admin(self) -> bool:
        return Role.DISTRICT_ADMIN in self.roles

    @property
    def is_business_office(self) -> bool:
        """Posts payments: the "business office" grant, held as a district-wide assignment."""
        return Role.BUSINESS_OFFICE in self.roles

    @property
    def is_school_leader(self) -> bool:
        return bool(self.led_school_ids)

    @property
    def is_program_director(self) -> bool:
        return bool(self.directed_program_ids)

    @property
    def approving_school_ids(self) -> frozenset[int]:
        """The schools whose staff's goals and requests this person decides: as principal, or
        as assistant principal where the district delegates."""
        if self.district.assistant_principals_approve:
            return self.led_school_ids
        return self.principal_school_ids

    def approves_for(self, school_id: int | None, program_id: int | None) -> bool:
        """Decides for a school's (principal) or a program's (director) staff; admins for all."""
        if self.is_district_admin:
            return True
        if school_id:
            return school_id in self.approving_school_ids
        return bool(program_id) and program_id in self.directed_program_ids

    def leads(self, school_id: int | None, program_id: int | None) -> bool:
        """Leads the unit: its principal or assistant principal, its director, or an admin."""
        return (
            self.is_district_admin
            or (bool(school_id) and school_id in self.led_school_ids)
            or (bool(program_id) and program_id in self.directed_program_ids)
        )

    def unit_q(self, prefix: str = "", *, led: bool = True) -> Q:
        """Rows owned by a school or program this person leads (led) or works in."""
        schools = self.led_school_ids if led else self.school_ids
        programs = self.directed_program_ids if led else self.program_ids
        return Q(**{f"{prefix}school_id__in": schools}) | Q(**{f"{prefix}program_id__in": programs})

    @cached_property
    def today(self) -> date:
        return self.district.today()

    @property
    def primary_role(self) -> str:
        """The role whose home this person sees first."""
        for role in (
            Role.DISTRICT_ADMIN,
            Role.PRINCIPAL,
            Role.ASSISTANT_PRINCIPAL,
            Role.PROGRAM_DIRECTOR,
        ):
            if role in self.roles:
                return role
        return Role.TEACHER if Role.TEACHER in self.roles or not self.roles else min(self.roles)


def actor_for(
    user, *, district_id: int | None = None, district_slug: str | None = None
) -> Actor | None:
    """The actor for a signed-in user with an active staff record, else None.

    A login may have active staff records in several districts (one person serving two
    districts). Then `district_id` (the session's choice; by default the district in scope, so
    a service given a user inside a request acts in the request's district) picks one, and with
    none chosen there is no actor until they choose (`districts_for`). `district_slug` (the
    API's header) must name one of the user's districts, even when they have only one. A
    choice is only ever taken from among the user's own records, never trusted as given.
    """
    if user is None or not user.is_authenticated:
        return None
    in_scope = get_scope().get("district")
    with scopes_disabled():
        records = list(Staff.objects.select_related("district").filter(user=user, is_active=True))
        count = len(records)
        if district_slug is not None:
            records = [s for s in records if s.district.slug == district_slug]
        elif count > 1:
            if district_id is None:
                district_id = in_scope
            records = [s for s in records if s.district_id == district_id]
        if len(records) != 1:
            return None
        staff = records[0]
        district = staff.district
        assignments = list(
            Assignment.objects.filter(staff=staff)
            .current(district.today())
            .values_list("role", "school_id", "program_id")
        )
    roles = frozenset(a[0] for a in assignments)
    return Actor(
        user=user,
        staff=staff,
        district=district,
        roles=roles,
        led_school_ids=frozenset(s for r, s, _ in assignments if r in LEADER_ROLES and s),
        principal_school_ids=frozenset(s for r, s, _ in assignments if r == Role.PRINCIPAL and s),
        directed_program_ids=frozenset(
            p for r, _, p in assignments if r == Role.PROGRAM_DIRECTOR and p
        ),
        school_ids=frozenset(s for _, s, _ in assignments if s),
        program_ids=frozenset(p for _, _, p in assignments if p),
        district_count=count,
    )


def districts_for(user) -> list[District]:
    """The districts where this login has an active staff record, by name."""
    if user is None or not user.is_authenticated:
        return []
    with scopes_disabled():
        return list(
            District.objects.filter(staff__user=user, staff__is_active=True)
            .distinct()
            .order_by("name", "pk")
        )


@dataclass(frozen=True)
class Units:
    """Schools and programs (querysets, by name) for a picker or a filter."""

    schools: QuerySet
    programs: QuerySet


def units(
    actor: Actor,
    *,
    every: bool | None = None,
    worked: bool = False,
    active: bool | None = True,
) -> Units:
    """The schools a person leads (principal, assistant principal) and the programs they
    direct.

    - `every`: whether this person has every unit of the district instead; by default district
      administrators do (a page may widen it: the business office for money, the coordinator
      for new teachers).
    - `worked`: add the schools and programs they work in (any current assignment).
    - `active`: only active units (the default), only inactive ones, or both (None).
    """
    schools = School.objects.filter(district=actor.district).order_by("name")
    programs = Program.objects.filter(district=actor.district).order_by("name")
    if active is not None:
        schools, programs = schools.filter(is_active=active), programs.filter(is_active=active)
    if not (actor.is_district_admin if every is None else every):
        school_ids, program_ids = actor.led_school_ids, actor.directed_program_ids
        if worked:
            school_ids, program_ids = school_ids | actor.school_ids, program_ids | actor.program_ids
        schools, programs = schools.filter(pk__in=school_ids), programs.filter(pk__in=program_ids)
    return Units(schools=schools, programs=programs)


# --- the registry -------------------------------------------------------------------------

Visibility = Callable[[Actor, QuerySet], QuerySet]
Rule = Callable[[Actor, Any], bool]
_visibility: dict[type[Model], Visibility] = {}
_rules: dict[tuple[type[Model], str], Rule] = {}


def register(model: type[Model], *, visible: Visibility, rules: dict[str, Rule]) -> None:
    """Declare who sees a model and who may do each action on it.

    Rules take (actor, obj); for "list" and "create" obj is None.
    """
    _visibility[model] = visible
    for action, rule in rules.items():
        _rules[(model, action)] = rule


def visible(actor: Actor, model_or_qs: type[Model] | QuerySet) -> QuerySet:
    qs = model_or_qs if isinstance(model_or_qs, QuerySet) else model_or_qs.objects.all()
    rule = _visibility.get(qs.model)
    if rule is None:
        raise LookupError(f"No access rules registered for {qs.model.__name__}.")
    if qs.model is District:
        return rule(actor, qs.filter(pk=actor.district.pk))
    return rule(actor, qs.filter(district=actor.district))


def rule_for(model: type[Model], action: str) -> Rule:
    """The rule registered for an action on a model.

    An action nobody registered is a mistake in the code (a misspelt name, a model that never
    registered the action), not a refusal: it raises rather than answering a silent 403.
    """
    try:
        return _rules[(model, action)]
    except KeyError:
        known = sorted(a for m, a in _rules if m is model)
        raise LookupError(
            f"No access rule for the action {action!r} on {model.__name__}"
            + (f"; its actions are {', '.join(known)}." if known else "; it registered none.")
        ) from None


def can(actor: Actor | None, action: str, obj_or_model: Model | type[Model]) -> bool:
    if isinstance(obj_or_model, type):
        model, obj = obj_or_model, None
    else:
        model, obj = type(obj_or_model), obj_or_model
    rule = rule_for(model, action)  # before any answer, so a misspelt action never passes
    if actor is None:
        return False
    if obj is not None:
        district_id = obj.pk if model is District else getattr(obj, "district_id", None)
        if district_id != actor.district.pk:
            return False
    return bool(rule(actor, obj))


def require(
    actor: Actor | None,
    action: str,
    obj_or_model: Model | type[Model],
    *,
    message: str | None = None,
) -> None:
    """403 unless the actor may; `message` says why in the page's words."""
    if not can(actor, action, obj_or_model):
        raise PermissionDenied(message or f"You may not {action} this.")


def get_visible_or_404(actor: Actor, model_or_qs: type[Model] | QuerySet, **lookup) -> Any:
    try:
        return visible(actor, model_or_qs).get(**lookup)
    except (ObjectDoesNotExist, MultipleObjectsReturned, ValueError, TypeError) as exc:
        raise Http404 from exc


# --- predicates every app's rules share ------------------------------------------------------


def anyone(actor: Actor, obj=None) -> bool:
    """Everyone in the district (visibility still limits which rows they reach)."""
    return True


def admin(actor: Actor, obj=None) -> bool:
    """District administrators."""
    return actor.is_district_admin


def leader(actor: Actor, obj=None) -> bool:
    """Administrators, school leaders (principals, assistant principals), program directors."""
    return actor.is_district_admin or actor.is_school_leader or actor.is_program_director


# --- the rules of the districts app --------------------------------------------------------


def staff_scope_q(actor: Actor, prefix: str = "") -> Q:
    """Which staff an actor sees: everyone (admins), their schools' or programs' staff, self."""
    if actor.is_district_admin:
        return Q()
    today = actor.today
    current = (
        Q(**{f"{prefix}assignments__start_date__isnull": True})
        | Q(**{f"{prefix}assignments__start_date__lte": today})
    ) & (
        Q(**{f"{prefix}assignments__end_date__isnull": True})
        | Q(**{f"{prefix}assignments__end_date__gte": today})
    )
    q = Q(**{f"{prefix}pk": actor.staff.pk})
    if actor.led_school_ids:
        q |= current & Q(**{f"{prefix}assignments__school_id__in": actor.led_school_ids})
    if actor.directed_program_ids:
        q |= current & Q(**{f"{prefix}assignments__program_id__in": actor.directed_program_ids})
    return q


def _visible_staff(actor: Actor, qs: QuerySet) -> QuerySet:
    if actor.is_district_admin:
        return qs
    ids = Staff.objects.filter(district=actor.district).filter(staff_scope_q(actor)).values("pk")
    return qs.filter(pk__in=ids)


def _visible_assignments(actor: Actor, qs: QuerySet) -> QuerySet:
    if actor.is_district_admin:
        return qs
    return qs.filter(staff__in=_visible_staff(actor, Staff.objects.all()))


register(
    District,
    visible=lambda actor, qs: qs,
    rules={"view": anyone, "change": admin},
)
register(
    School,
    visible=lambda actor, qs: qs,
    rules={"list": anyone, "view": anyone, "create": admin, "change": admin},
)
register(
    Program,
    visible=lambda actor, qs: qs,
    rules={"list": anyone, "view": anyone, "create": admin, "change": admin},
)
register(
    SchoolYear,
    visible=lambda actor, qs: qs,
    rules={"list": anyone, "view": anyone, "create": admin, "change": admin},
)
register(
    Staff,
    visible=_visible_staff,
    rules={
        "list": leader,
        "view": anyone,  # visibility already limits which staff an actor can reach
        "create": admin,
        "change": admin,
        "deactivate": admin,
    },
)
register(
    Assignment,
    visible=_visible_assignments,
    rules={"list": leader, "view": anyone, "create": admin, "change": admin},
)
register(
    ImportRun,
    visible=lambda actor, qs: qs if actor.is_district_admin else qs.none(),
    rules={"list": admin, "view": admin, "create": admin},
)

"""Writes for the district and its people. Each function is one business action."""

from datetime import date
from typing import Any

from django.db import IntegrityError, transaction

from cadre.core import trail
from cadre.core.errors import Conflict, DomainError
from cadre.core.workflow import audited_create, audited_update
from cadre.districts import signin
from cadre.districts.models import (
    Assignment,
    District,
    Program,
    Role,
    School,
    SchoolYear,
    Staff,
)

SCHOOL_FIELDS = ["name", "code", "sourced_id", "grade_band", "is_active"]
PROGRAM_FIELDS = ["name", "kind", "description", "is_active"]
SCHOOL_YEAR_FIELDS = ["name", "start_date", "end_date", "goals_due"]
STAFF_FIELDS = [
    "employee_id",
    "sourced_id",
    "first_name",
    "last_name",
    "email",
    "hire_date",
    "contracted_days",
    "substitute_days",
    "subjects",
    "grade_bands",
    "bargaining_unit",
    "fte",
]
ASSIGNMENT_FIELDS = ["staff", "school", "program", "role", "start_date", "end_date"]
DISTRICT_FIELDS = [
    "name",
    "time_zone",
    "fiscal_year_start_month",
    "new_teacher_threshold_days",
    "experience_days_per_year",
    "min_group_size",
    "clock_hour_minutes",
    "clock_hour_min_minutes",
    "renewal_hours",
    "renewal_years",
    "renewal_equity_hours",
    "renewal_equity_hours_admin",
    "quarter_credit_hours",
    "semester_credit_hours",
    "growth_plan_hours",
    "catalog_reminder_hours",
    "assistant_principals_approve",
    "goal_reminder_days",
    "mentor_match_days",
    "mentor_weekly_minutes",
    "mentor_caseload",
    "check_in_days",
    "group_hours",
]


def _create(model, *, district: District, actor, fields: list[str], data: dict[str, Any]):
    obj = model(district=district, **{k: v for k, v in data.items() if k in fields})
    return audited_create(obj, actor=actor, audited=fields)


def _check_same_district(district: District, *objs) -> None:
    for obj in objs:
        if obj is not None and obj.district_id != district.pk:
            raise DomainError("district.mismatch", f"{obj} belongs to another district.")


# --- district ------------------------------------------------------------------------------


@transaction.atomic
def district_update(*, district: District, actor, data: dict[str, Any]) -> District:
    return audited_update(district, actor=actor, fields=DISTRICT_FIELDS, data=data, exclude=())


# --- schools and programs ----------------------------------------------------------------------


@transaction.atomic
def school_create(*, district: District, actor, data: dict[str, Any]) -> School:
    return _create(School, district=district, actor=actor, fields=SCHOOL_FIELDS, data=data)


@transaction.atomic
def school_update(*, school: School, actor, data: dict[str, Any]) -> School:
    return audited_update(school, actor=actor, fields=SCHOOL_FIELDS, data=data)


def _program_schools(program: Program, schools, actor) -> None:
    if schools is None:
        return
    _check_same_district(program.district, *schools)
    before = sorted(str(s) for s in program.schools.all())
    program.schools.set(schools)
    after = sorted(str(s) for s in schools)
    if before != after:
        trail.record(
            district=program.district,
            actor=actor,
            action=trail.Action.UPDATE,
            obj=program,
            changes={"schools": [before, after]},
        )


@transaction.atomic
def program_create(*, district: District, actor, data: dict[str, Any]) -> Program:
    program = _create(Program, district=district, actor=actor, fields=PROGRAM_FIELDS, data=data)
    _program_schools(program, data.get("schools"), actor)
    return program


@transaction.atomic
def program_update(*, program: Program, actor, data: dict[str, Any]) -> Program:
    audited_update(program, actor=actor, fields=PROGRAM_FIELDS, data=data)
    _program_schools(program, data.get("schools"), actor)
    return program


# --- school years ----------------------------------------------------------------------------


def _unique_year_name(district: District, name: str, exclude: int | None = None) -> None:
    if SchoolYear.objects.filter(district=district, name=name).exclude(pk=exclude).exists():
        raise Conflict(
            "school_year.duplicate", f"There is already a school year {name}.", field="name"
        )


@transaction.atomic
def school_year_create(*, district: District, actor, data: dict[str, Any]) -> SchoolYear:
    _unique_year_name(district, data.get("name", ""))
    try:
        with transaction.atomic():
            year = _create(
                SchoolYear, district=district, actor=actor, fields=SCHOOL_YEAR_FIELDS, data=data
            )
    except IntegrityError as exc:  # a simultaneous create with the same name
        raise Conflict(
            "school_year.duplicate",
            "There is already a school year with this name.",
            field="name",
        ) from exc
    if (
        data.get("is_current")
        or not SchoolYear.objects.filter(district=district, is_current=True).exists()
    ):
        school_year_make_current(school_year=year, actor=actor)
    return year


@transaction.atomic
def school_year_update(*, school_year: SchoolYear, actor, data: dict[str, Any]) -> SchoolYear:
    if "name" in data:
        _unique_year_name(school_year.district, data["name"], exclude=school_year.pk)
    return audited_update(school_year, actor=actor, fields=SCHOOL_YEAR_FIELDS, data=data)


@transaction.atomic
def school_year_make_current(*, school_year: SchoolYear, actor) -> SchoolYear:
    """Exactly one year is current: the switch happens in one transaction."""
    district = District.objects.select_for_update().get(pk=school_year.district_id)
    previous = SchoolYear.objects.filter(district=district, is_current=True).first()
    if previous and previous.pk == school_year.pk:
        return school_year
    SchoolYear.objects.filter(district=district, is_current=True).update(is_current=False)
    school_year.is_current = True
    school_year.save(update_fields=["is_current", "updated_at"])
    trail.record(
        district=district,
        actor=actor,
        action=trail.Action.TRANSITION,
        obj=school_year,
        from_state=str(previous or ""),
        to_state=school_year.name,
        comment="Made the current school year.",
    )
    return school_year


# --- staff -------------------------------------------------------------------------------


@transaction.atomic
def staff_create(*, district: District, actor, data: dict[str, Any]) -> Staff:
    try:
        with transaction.atomic():
            staff = _create(Staff, district=district, actor=actor, fields=STAFF_FIELDS, data=data)
    except IntegrityError as exc:
        raise Conflict(
            "staff.duplicate", "Another person has this employee id or sourcedId."
        ) from exc
    signin.link(staff)
    return staff


@transaction.atomic
def staff_update(*, staff: Staff, actor, data: dict[str, Any]) -> Staff:
    old_email = staff.email
    try:
        with transaction.atomic():
            audited_update(staff, actor=actor, fields=STAFF_FIELDS, data=data)
    except IntegrityError as exc:
        raise Conflict(
            "staff.duplicate", "Another person has this employee id or sourcedId."
        ) from exc
    if staff.email != old_email:
        signin.link(staff)
    return staff


def _set_active(staff: Staff, *, actor, active: bool, reason: str) -> Staff:
    staff.is_active = active
    staff.save(update_fields=["is_active", "updated_at"])
    states = ("inactive", "active") if active else ("active", "inactive")
    trail.record(
        district=staff.district,
        actor=actor,
        action=trail.Action.TRANSITION,
        obj=staff,
        from_state=states[0],
        to_state=states[1],
        comment=reason,
    )
    return staff


@transaction.atomic
def staff_deactivate(*, staff: Staff, actor, reason: str = "") -> Staff:
    """People with history are never deleted; they stop signing in and leave lists."""
    if not staff.is_active:
        raise Conflict("staff.already_inactive", f"{staff} is already inactive.")
    if actor is not None and getattr(actor, "pk", None) == staff.user_id:
        raise DomainError("staff.self_deactivate", "You cannot deactivate yourself.")
    return _set_active(staff, actor=actor, active=False, reason=reason)


@transaction.atomic
def staff_reactivate(*, staff: Staff, actor, reason: str = "") -> Staff:
    if staff.is_active:
        raise Conflict("staff.already_active", f"{staff} is already active.")
    return _set_active(staff, actor=actor, active=True, reason=reason)


# --- assignments ---------------------------------------------------------------------------


def _check_assignment(district: District, data: dict[str, Any]) -> None:
    school, program = data.get("school"), data.get("program")
    _check_same_district(district, data.get("staff"), school, program)
    if school and program:
        raise DomainError(
            "assignment.school_and_program",
            "An assignment is to a school or to a program, not both.",
        )
    role = data.get("role")
    if role in {Role.PRINCIPAL, Role.ASSISTANT_PRINCIPAL} and not school:
        raise DomainError(
            "assignment.needs_school", "A principal's assignment needs a school.", field="school"
        )
    if role == Role.PROGRAM_DIRECTOR and not program:
        raise DomainError(
            "assignment.needs_program",
            "A program director's assignment needs a program.",
            field="program",
        )
    start, end = data.get("start_date"), data.get("end_date")
    if start and end and end < start:
        raise DomainError(
            "assignment.dates", "The end date is before the start date.", field="end_date"
        )


@transaction.atomic
def assignment_create(*, district: District, actor, data: dict[str, Any]) -> Assignment:
    _check_assignment(district, data)
    return _create(Assignment, district=district, actor=actor, fields=ASSIGNMENT_FIELDS, data=data)


@transaction.atomic
def assignment_update(*, assignment: Assignment, actor, data: dict[str, Any]) -> Assignment:
    merged = {name: getattr(assignment, name) for name in ASSIGNMENT_FIELDS} | data
    _check_assignment(assignment.district, merged)
    return audited_update(assignment, actor=actor, fields=ASSIGNMENT_FIELDS, data=data)


@transaction.atomic
def assignment_end(*, assignment: Assignment, actor, on: date) -> Assignment:
    if assignment.end_date and assignment.end_date <= on:
        raise Conflict("assignment.already_ended", "This assignment has already ended.")
    return assignment_update(assignment=assignment, actor=actor, data={"end_date": on})

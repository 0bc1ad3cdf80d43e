"""What Cadre reads of a OneRoster export, and how it reads the values real exports write.

Columns are found by name without regard to case (see `cadre.core.tabular`); only those Cadre
cannot work without are required, and each says why. Values are read leniently where the
meaning is clear (`TRUE`, `Teacher`, `2017/4/1`, a timestamp with a space) and refused where
it is not.
"""

from __future__ import annotations

import re
from datetime import date

from cadre.core.tabular import Column as C
from cadre.core.tabular import parse_date

# --- columns, per file -------------------------------------------------------------------

# Spellings seen in vendors' exports and documents beside the standard's.
SID = ("sourceId", "sourcedIds")
MODIFIED = ("dateModified", "lastModified")

ORGS = [
    C("sourcedId", SID, required="each org is known by it"),
    C("status"),
    C("dateLastModified", MODIFIED),
    C("name", required="schools are shown by their names"),
    C("type", ("orgType",), required="it tells the district from its schools and departments"),
    C("identifier"),
    C("parentSourcedId", ("parentSourceId", "parentSourcedIds", "parent")),
]
USERS = [
    C("sourcedId", SID, required="each person is known by it"),
    C("status"),
    C("dateLastModified", MODIFIED),
    C("enabledUser"),
    C("orgSourcedIds", ("orgSourcedId", "orgSourceIds")),
    C("role", ("roles",)),
    C("username"),
    C("givenName", ("firstName",), required="each staff member needs a name"),
    C("familyName", ("lastName",), required="each staff member needs a name"),
    C("middleName"),
    C("identifier"),
    C("email"),
]
ROLES = [
    C("sourcedId", SID),
    C("status"),
    C("dateLastModified", MODIFIED),
    C("userSourcedId", ("userSourceId",), required="it says whose role this is"),
    C("roleType", ("isPrimary",)),
    C("role", required="it says what the person does"),
    C("orgSourcedId", ("orgSourceId",), required="it says where the person works"),
    C("beginDate", ("roleStartDate",)),
    C("endDate", ("roleEndDate",)),
]
CLASSES = [
    C("sourcedId", SID, required="each class is known by it"),
    C("status"),
    C("dateLastModified", MODIFIED),
    C("title"),
    C("courseSourcedId", ("courseSourceId",)),
    C(
        "schoolSourcedId",
        ("schoolSourceId", "orgSourcedId"),  # School Data Sync names the school orgSourcedId
        required="it says which school teaches the class",
    ),
    C("termSourcedIds", ("termSourcedId", "sessionSourcedIds", "sessionSourcedId")),
]
# An enrollment's own id is optional: School Data Sync has none, and class, person and role
# identify it as well.
ENROLLMENTS = [
    C("sourcedId", SID),
    C("status"),
    C("dateLastModified", MODIFIED),
    C("classSourcedId", ("classSourceId",), required="it links the enrollment to its class"),
    C(
        "userSourcedId",
        ("userSourceId",),
        required="it links the enrollment to its teacher or student",
    ),
    C("role", required="it tells teachers from students"),
    C("primary"),
    C("beginDate"),
    C("endDate"),
]
IDS = [C("sourcedId", SID, required="each row is known by it")]

# Columns a file may carry that Cadre does not need: not worth a warning.
KNOWN = {
    "orgs": {"metadata"},
    "users": {
        "userids",
        "userid",
        "sms",
        "phone",
        "agentsourcedids",
        "agents",
        "grades",
        "grade",
        "password",
        "usermasteridentifier",
        "preferredgivenname",
        "preferredmiddlename",
        "preferredfamilyname",
        "primaryorgsourcedid",
        "pronouns",
        "activedirectorymatchid",  # School Data Sync v2.1
    },
    "roles": {"userprofilesourcedid", "sessionsourcedid", "sessionsourcedids", "grade", "grades"},
    "classes": {
        "grades",
        "grade",
        "classcode",
        "classtype",
        "location",
        "subjects",
        "subjectcodes",
        "periods",
        "resources",
    },
    "enrollments": {"schoolsourcedid"},
}


def extension(header: str) -> bool:
    """Extension columns: OneRoster 1.0's `metadata.*`, `ext_*` and vendors' own."""
    low = header.lower()
    return low.startswith(("metadata.", "ext_", "ext.", "x-", "x_"))


# --- values -------------------------------------------------------------------------------

STATUSES = {
    "": "active",
    "active": "active",
    "tobedeleted": "tobedeleted",
    "inactive": "tobedeleted",
}
TRUE = {"true", "t", "yes", "y", "1"}
FALSE = {"false", "f", "no", "n", "0"}


def boolean(value: str) -> bool | None:
    """True, False, or None for blank or unreadable (`TRUE`, `yes`, `1`, `False`, `N`…)."""
    low = value.strip().lower()
    if low in TRUE:
        return True
    if low in FALSE:
        return False
    return None


def date_or_problem(value: str) -> tuple[date | None, str]:
    """The date, or None and a reason to give."""
    try:
        return parse_date(value), ""
    except ValueError:
        return None, (
            f'"{value}" is not a date Cadre can read (such as 2026-08-01, 8/1/2026 or '
            "2026-08-01T00:00:00Z)."
        )


def split_ids(value: str) -> list[str]:
    """A multi-value field: `s1,s2`, `"s1, s2"` or `s1;s2`."""
    return [v.strip() for v in re.split(r"[,;]", value) if v.strip()]


# --- roles ---------------------------------------------------------------------------------

# OneRoster role → a role Cadre keeps for staff. "administrator" (1.0 and 1.1) depends on the
# org: a school's administrator is its principal, the district's is a district administrator.
STAFF_ROLES = {
    "teacher",
    "aide",
    "counselor",
    "principal",
    "siteadministrator",
    "districtadministrator",
    "administrator",
}
OTHER_ROLES = {
    "student",
    "parent",
    "guardian",
    "relative",
    "proctor",
    "systemadministrator",
}


def role_key(value: str) -> str:
    return value.strip().lower().replace(" ", "").replace("_", "")


def is_extension_role(key: str) -> bool:
    return key.startswith("ext:")


ORG_TYPES = {"district", "school", "department", "local", "state", "national"}
# School Data Sync's further org types: a campus is a school; the rest sit above or beside
# a district and are not kept.
SCHOOL_TYPES = {"school", "campus"}
OUTSIDE_TYPES = {
    "state",
    "national",
    "ministryofeducation",
    "departmentofeducation",
    "localauthority",
    "region",
    "division",
    "province",
    "municipality",
    "academictrust",
    "researchcenter",
    "program",
    "university",
    "college",
    "adulteducation",
}

# School Data Sync v2.1's staff roles, beyond OneRoster's.
SDS_STAFF_ROLES = {
    "instructor",
    "faculty",
    "professor",
    "lecturer",
    "adjunct",
    "chair",
    "substitute",
    "teacherassistant",
    "paraprofessional",
    "advisor",
    "specialservices",
    "occupationaltherapist",
    "physicaltherapist",
    "speechtherapist",
    "visiontherapist",
    "nurse",
    "officestaff",
    "itadmin",
    "staff",
    "coach",
    "researcher",
    "affiliate",
}
OTHER_ROLES |= {"alumni", "other"}

_TEACHING = {"teacher", "instructor", "faculty", "professor", "lecturer", "adjunct", "chair"}
_AIDES = {"aide", "paraprofessional", "teacherassistant"}


def cadre_role(role: str, *, school: bool, district: bool) -> str:
    """The role Cadre keeps for a staff role at an org. An administrator at a school is its
    principal, at the district a district administrator; one elsewhere is kept as Other."""
    from cadre.districts.models import Role

    if role in _TEACHING:
        return Role.TEACHER
    if role in _AIDES:
        return Role.PARAEDUCATOR
    if role in {"counselor", "advisor"}:
        return Role.COUNSELOR
    if role == "principal":
        return Role.PRINCIPAL
    if role == "siteadministrator":
        return Role.ASSISTANT_PRINCIPAL if school else Role.OTHER
    if role == "districtadministrator":
        return Role.DISTRICT_ADMIN
    if role == "administrator":
        if school:
            return Role.PRINCIPAL
        return Role.DISTRICT_ADMIN if district else Role.OTHER
    return Role.OTHER

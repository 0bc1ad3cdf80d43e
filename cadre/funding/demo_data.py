"""The demo district's funding content: its sources with their uses and budgets, and the
courses its stipends pay for. `demo.py` builds them through the services."""

from decimal import Decimal

from cadre.districts.models import Program
from cadre.funding.models import FundingSource, Use

D = Decimal
U = Use
SOURCES = [
    # name, code, kind, owner program kind, uses, restricted, carries forward
    (
        "ISD contract funds",
        "100-ISD",
        FundingSource.Kind.ISD,
        None,
        [U.REGISTRATION, U.TRAVEL, U.MATERIALS, U.SUBSCRIPTION],
        False,
        False,
    ),
    (
        "General fund PD",
        "010-PD",
        FundingSource.Kind.GENERAL,
        None,
        [U.REGISTRATION, U.SUBSTITUTE, U.MATERIALS, U.TRAVEL, U.STIPEND, U.CONSULTANT],
        False,
        True,
    ),
    (
        "Title I, Part A",
        "301-T1A",
        FundingSource.Kind.TITLE_I,
        Program.Kind.TITLE_I,
        [U.REGISTRATION, U.SUBSTITUTE, U.STIPEND, U.CONSULTANT, U.MATERIALS],
        True,
        False,
    ),
    (
        "Title II, Part A",
        "302-T2A",
        FundingSource.Kind.TITLE_II_A,
        None,
        [U.REGISTRATION, U.SUBSTITUTE, U.STIPEND, U.CONSULTANT, U.TRAVEL],
        False,
        True,
    ),
    (
        "IDEA Part B",
        "330-IDEA",
        FundingSource.Kind.IDEA,
        Program.Kind.SPECIAL_EDUCATION,
        [U.REGISTRATION, U.SUBSTITUTE, U.STIPEND, U.CONSULTANT, U.MATERIALS],
        True,
        False,
    ),
    (
        "Educator Effectiveness Block Grant",
        "640-EEBG",
        FundingSource.Kind.STATE_GRANT,
        None,
        [U.REGISTRATION, U.STIPEND, U.CONSULTANT, U.SUBSCRIPTION, U.SUBSTITUTE],
        False,
        True,
    ),
    (
        "Riverbend Education Foundation",
        "900-REF",
        FundingSource.Kind.PRIVATE_GRANT,
        None,
        [U.MATERIALS, U.REGISTRATION],
        False,
        False,
    ),
]
COURSES = [
    ("CA Reading & Literacy Conference", D("395")),
    ("AVID Summer Institute", D("925")),
    ("Kagan Cooperative Learning, day 1", D("249")),
    ("CUE Spring Conference", D("335")),
    ("NGSS Rollout Phase 3", D("180")),
    ("Restorative Practices workshop", D("150")),
    ("Solution Tree PLC at Work", D("899")),
]

"""Roster import: OneRoster 1.0, 1.1 and 1.2 CSV, and Microsoft School Data Sync v2.1.

Everything is checked first (ARCHITECTURE rule 9), then written in one transaction, or nothing.
"""

from cadre.core.tabular import Problem
from cadre.districts.oneroster.importer import ImportResult, import_oneroster, pseudonym

__all__ = ["ImportResult", "Problem", "import_oneroster", "pseudonym"]

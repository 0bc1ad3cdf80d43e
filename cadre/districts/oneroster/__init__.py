"""OneRoster 1.1 and 1.2 CSV import (ARCHITECTURE rule 9: validate all, then write all)."""

from cadre.districts.oneroster.importer import ImportResult, import_oneroster, pseudonym
from cadre.districts.oneroster.reader import Problem

__all__ = ["ImportResult", "Problem", "import_oneroster", "pseudonym"]

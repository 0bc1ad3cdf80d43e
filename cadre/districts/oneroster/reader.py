"""Reading a OneRoster CSV export: zip or folder, manifest, and tolerant CSV parsing."""

import csv
import difflib
import io
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path, PurePosixPath
from typing import IO

VERSIONS = {"1.0": "1.1", "1.1": "1.1", "1.2": "1.2"}
MODES = {"bulk", "delta", "absent"}
STATUSES = {"", "active", "tobedeleted", "inactive"}  # "inactive" is 1.0's "tobedeleted"

# The columns Cadre reads; the others (and extension columns) may be present or not.
REQUIRED = {
    "orgs": ["sourcedId", "status", "name", "type", "parentSourcedId"],
    "users-1.1": [
        "sourcedId",
        "status",
        "enabledUser",
        "orgSourcedIds",
        "role",
        "givenName",
        "familyName",
        "identifier",
        "email",
    ],
    "users-1.2": [
        "sourcedId",
        "status",
        "enabledUser",
        "givenName",
        "familyName",
        "identifier",
        "email",
    ],
    "roles": [
        "sourcedId",
        "status",
        "userSourcedId",
        "roleType",
        "role",
        "orgSourcedId",
        "beginDate",
        "endDate",
    ],
    "classes": ["sourcedId", "status", "title", "schoolSourcedId"],
    "enrollments": [
        "sourcedId",
        "status",
        "classSourcedId",
        "userSourcedId",
        "role",
        "beginDate",
        "endDate",
    ],
}


@dataclass
class Problem:
    file: str
    line: int | None
    column: str | None
    reason: str

    def as_dict(self) -> dict:
        return {"file": self.file, "line": self.line, "column": self.column, "reason": self.reason}

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.column + ': ' if self.column else ''}{self.reason}"


@dataclass
class Row:
    line: int
    values: dict[str, str]

    def __getitem__(self, key: str) -> str:
        return self.values.get(key, "")


class Export:
    """The files of one export, read from a zip (path or file object) or a folder."""

    def __init__(self, source, problems: list[Problem]):
        self.problems = problems
        self.files: dict[str, bytes] = {}
        self.unreadable: set[str] = set()  # files whose rows could not be read at all
        self._open(source)

    def _open(self, source) -> None:
        if isinstance(source, str | Path) and Path(source).is_dir():
            for path in Path(source).rglob("*.csv"):
                self._add(PurePosixPath(path.relative_to(source).as_posix()), path.read_bytes())
            return
        try:
            with zipfile.ZipFile(
                source if not isinstance(source, str | Path) else Path(source)
            ) as archive:
                for info in archive.infolist():
                    if not info.is_dir() and info.filename.lower().endswith(".csv"):
                        self._add(PurePosixPath(info.filename), archive.read(info))
        except FileNotFoundError:
            self.problems.append(Problem(str(source), None, None, "No such file or folder."))
        except (zipfile.BadZipFile, OSError, EOFError):
            self.problems.append(
                Problem(
                    str(getattr(source, "name", source)),
                    None,
                    None,
                    "This is not a readable zip file. Upload the OneRoster CSV export as a .zip.",
                )
            )

    def _add(self, path: PurePosixPath, data: bytes) -> None:
        # Exports are often zipped inside a folder: keep the file name only.
        self.files.setdefault(path.name.lower(), data)

    def has(self, name: str) -> bool:
        return f"{name}.csv" in self.files

    def rows(self, name: str, required: list[str]) -> list[Row]:
        """Every data row of `name`.csv; problems for a bad header, encoding or row shape."""
        file = f"{name}.csv"
        raw = self.files.get(file)
        if raw is None:
            return []
        rows = self._rows(file, raw, required)
        if rows is None:
            self.unreadable.add(file)
        return rows or []

    def _rows(self, file: str, raw: bytes, required: list[str]) -> list[Row] | None:
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
            self.problems.append(
                Problem(file, line, None, "The file is not UTF-8 text (save it as UTF-8 CSV).")
            )
            return None
        reader = csv.reader(io.StringIO(text, newline=""))
        try:
            header = [h.strip() for h in next(reader)]
        except StopIteration:
            self.problems.append(Problem(file, 1, None, "The file is empty: no header row."))
            return None
        except csv.Error as exc:
            self.problems.append(Problem(file, 1, None, f"Unreadable CSV: {exc}."))
            return None
        missing = [c for c in required if c not in header]
        for column in missing:
            close = difflib.get_close_matches(column, header, n=1, cutoff=0.6)
            hint = f' The header has "{close[0]}": is it misspelt?' if close else ""
            self.problems.append(
                Problem(file, 1, column, f'The required column "{column}" is missing.{hint}')
            )
        if missing:
            return None
        rows = []
        try:
            for fields in reader:
                line = reader.line_num
                if not any(f.strip() for f in fields):
                    continue  # blank lines, often at the end
                if len(fields) != len(header):
                    self.problems.append(
                        Problem(
                            file,
                            line,
                            None,
                            f"This row has {len(fields)} fields but the header has {len(header)}.",
                        )
                    )
                    continue
                rows.append(Row(line, {h: v.strip() for h, v in zip(header, fields, strict=True)}))
        except csv.Error as exc:
            self.problems.append(Problem(file, reader.line_num, None, f"Unreadable CSV: {exc}."))
        return rows


def read_manifest(export: Export) -> tuple[str | None, dict[str, str]]:
    """The OneRoster version and each file's mode (bulk, delta or absent)."""
    problems = export.problems
    if not export.has("manifest"):
        if export.files or not problems:
            problems.append(
                Problem(
                    "manifest.csv",
                    None,
                    None,
                    "manifest.csv is missing: it says the version and whether "
                    "each file is bulk or delta.",
                )
            )
        return None, {}
    rows = export.rows("manifest", ["propertyName", "value"])
    props = {r["propertyName"]: (r["value"], r.line) for r in rows}
    raw, line = props.get("oneroster.version", ("", None))
    version = VERSIONS.get(raw.strip()[:3])
    if version is None:
        problems.append(
            Problem(
                "manifest.csv",
                line,
                "value",
                f'Unknown oneroster.version "{raw}": expected 1.1 or 1.2.',
            )
        )
    modes = {}
    for key, (value, line) in props.items():
        if key.startswith("file."):
            mode = value.strip().lower()
            if mode not in MODES:
                problems.append(
                    Problem(
                        "manifest.csv",
                        line,
                        "value",
                        f'{key} is "{value}": expected bulk, delta or absent.',
                    )
                )
                continue
            modes[key[5:]] = mode
    return version, modes


def parse_status(row: Row, file: str, problems: list[Problem]) -> str | None:
    status = row["status"].lower()
    if status not in STATUSES:
        problems.append(
            Problem(
                file,
                row.line,
                "status",
                f'Unknown status "{row["status"]}": expected active or tobedeleted.',
            )
        )
        return None
    return "tobedeleted" if status in {"tobedeleted", "inactive"} else "active"


def parse_date(row: Row, column: str, file: str, problems: list[Problem]) -> date | None:
    value = row[column]
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10]) if len(value) > 10 else date.fromisoformat(value)
    except ValueError:
        problems.append(
            Problem(file, row.line, column, f'"{value}" is not a date in the form YYYY-MM-DD.')
        )
        return None


def check_modified(row: Row, file: str, problems: list[Problem]) -> None:
    value = row["dateLastModified"]
    if not value:
        return
    try:
        datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        problems.append(
            Problem(
                file,
                row.line,
                "dateLastModified",
                f'"{value}" is not an ISO 8601 date-time (such as 2026-08-01T12:00:00Z).',
            )
        )


__all__ = [
    "IO",
    "Export",
    "Problem",
    "REQUIRED",
    "Row",
    "check_modified",
    "parse_date",
    "parse_status",
    "read_manifest",
]

"""What kind of export an upload is, and what its manifest says.

OneRoster 1.1 and 1.2 carry a manifest naming the version and whether each file is a whole
picture (bulk) or changes (delta). OneRoster 1.0 defines no manifest, and Microsoft School Data
Sync v2.1 has none either: both are recognised from their files' headers and read as bulk.
Clever's own CSV layout and the older School Data Sync layouts are recognised and named, so the
person uploading knows what to export instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from cadre.core.tabular import Archive, Report, norm, read_table

READ = ("orgs", "users", "roles", "classes", "enrollments")  # the files Cadre imports from
MODES = {"bulk", "delta", "absent"}
SDS21 = "SDS 2.1"

LABELS = {
    "1.0": "OneRoster 1.0",
    "1.1": "OneRoster 1.1",
    "1.2": "OneRoster 1.2",
    SDS21: "Microsoft School Data Sync v2.1",
}


@dataclass
class Format:
    version: str = ""  # "1.0", "1.1", "1.2", SDS21; "" when not an export Cadre imports
    modes: dict[str, str] = field(default_factory=dict)  # lower-case file stem → mode
    files: dict[str, str] = field(default_factory=dict)  # lower-case file stem → archive name
    source: str = ""  # the exporting system, when the manifest names it

    @property
    def label(self) -> str:
        return LABELS.get(self.version, self.version)

    def mode(self, stem: str) -> str:
        return self.modes.get(stem, "absent") if stem in self.files else "absent"


def _stems(archive: Archive) -> dict[str, str]:
    """Each CSV file by its lower-case stem; `users_20260301.csv` answers to `users` when
    there is no plain `users.csv`."""
    files: dict[str, str] = {}
    names = sorted(n for n in archive.names() if n.endswith((".csv", ".txt", ".tsv")))
    for name in names:
        files.setdefault(name.rsplit(".", 1)[0], name)
    for name in names:
        stem = name.rsplit(".", 1)[0]
        m = re.match(r"([a-z]+)[_\-. ]\w+$", stem)
        if m and m.group(1) not in files:
            files[m.group(1)] = name
    return files


def _header(archive: Archive, name: str | None) -> set[str]:
    """A file's header, normalised, read from its first line only."""
    if not name:
        return set()
    table = read_table(archive.open(name), file=name, report=Report())
    if table is None:
        return set()
    table._text.close()
    return {norm(h) for h in table.header}


def recognise(archive: Archive, report: Report) -> Format:
    """The export's format and each file's mode; errors in `report` when Cadre cannot import
    it, naming what it is when Cadre knows."""
    files = _stems(archive)
    fmt = Format(files=files)
    if "manifest" in files:
        _read_manifest(archive, files["manifest"], fmt, report)
    if not fmt.version:
        fmt.version = _sniff(archive, files, report)
        if fmt.version:
            for stem in READ:
                if stem in files:
                    fmt.modes.setdefault(stem, "bulk")
            if "manifest" not in files and fmt.version in {"1.1", "1.2"}:
                # OneRoster 1.0 and School Data Sync define no manifest: nothing to say.
                report.warn(
                    "no-manifest",
                    "The export has no manifest: every file was read as a whole picture (bulk)",
                    reason=f"Recognised as {fmt.label} from its files' headers.",
                )
    if not fmt.version:
        return fmt
    for stem in READ:
        if stem in files and stem not in fmt.modes:
            fmt.modes[stem] = "bulk"
            report.warn(
                "unlisted-file",
                "Files the manifest does not list were read as a whole picture (bulk)",
                files[stem],
                reason=f"The manifest has no file.{stem}; {files[stem]} was read as bulk.",
            )
    for stem, mode in list(fmt.modes.items()):
        if mode == "absent" or stem in files:
            continue
        if stem in READ:
            report.error(
                "manifest.csv",
                None,
                f"file.{stem}",
                f"The manifest lists {stem}.csv as {mode}, but the export has no {stem}.csv.",
            )
        else:
            report.warn(
                "missing-listed-file",
                "Files the manifest lists but the export lacks (Cadre does not use them)",
                "manifest.csv",
                reason=f"file.{stem} is {mode}, but there is no {stem}.csv.",
            )
    for stem in READ:
        if stem in files and fmt.modes.get(stem) == "absent":
            report.warn(
                "absent-file",
                "Files the manifest calls absent were not read",
                files[stem],
                reason=f"The manifest says file.{stem} is absent, so {files[stem]} was not read.",
            )
    if fmt.version == "1.2" and fmt.mode("users") != "absent" and fmt.mode("roles") == "absent":
        report.error(
            "manifest.csv",
            None,
            "file.roles",
            "A OneRoster 1.2 export needs roles.csv to give staff their roles.",
        )
    if fmt.version == SDS21 and fmt.mode("users") != "absent" and fmt.mode("roles") == "absent":
        report.error(
            "roles.csv",
            None,
            None,
            "A School Data Sync v2.1 export needs roles.csv to give staff their roles.",
        )
    if (
        fmt.mode("users") == "absent"
        and fmt.mode("orgs") == "absent"
        and not any(fmt.mode(s) != "absent" for s in READ)
    ):
        report.error(
            "manifest.csv" if "manifest" in files else archive.label,
            None,
            None,
            "The export has none of the files Cadre imports (orgs, users, roles, classes, "
            "enrollments).",
        )
    return fmt


def _read_manifest(archive: Archive, name: str, fmt: Format, report: Report) -> None:
    # Read like any other file: in its own encoding, with its own delimiter.
    table = read_table(archive.open(name), file=name, report=report)
    if table is None:
        return
    rows = [(1, table.header), *table.rows()]
    version_line = None
    for line, row in rows:
        if not row or not row[0].strip():
            continue
        key = row[0].strip().strip('"')
        value = row[1].strip() if len(row) > 1 else ""
        low = key.lower()
        if low in {"propertyname", "property"}:
            continue
        if low == "oneroster.version":
            version_line = line
            number = re.sub(r"^v", "", value.lower())[:3]
            if number in {"1.0", "1.1", "1.2"}:
                fmt.version = number
            elif value:
                report.error(
                    name,
                    line,
                    "value",
                    f'Unknown oneroster.version "{value}": Cadre reads OneRoster 1.0, 1.1 and 1.2.',
                )
                fmt.version = "?"
        elif low == "source.systemname":
            fmt.source = value[:100]
        elif low.startswith("file."):
            stem = low[5:]
            mode = value.lower()
            if not mode:
                report.warn(
                    "blank-manifest-value",
                    "Manifest entries with no value were taken as absent",
                    name,
                    line,
                    "value",
                    f"{key} has no value; taken as absent.",
                )
                mode = "absent"
            if mode not in MODES:
                report.error(
                    name, line, "value", f'{key} is "{value}": expected bulk, delta or absent.'
                )
                continue
            fmt.modes[stem] = mode
    if fmt.version == "?":
        fmt.version = ""
        fmt.modes.clear()
        fmt.files.clear()  # nothing more to read: the version is the error
    elif not fmt.version and version_line is None:
        report.warn(
            "no-version",
            "The manifest names no OneRoster version: it was told from the headers",
            name,
            reason="manifest.csv has no oneroster.version.",
        )


def _sniff(archive: Archive, files: dict[str, str], report: Report) -> str:
    """The version told from file names and headers, or "" with an error naming the format."""
    if {"schools", "teachers", "sections"} <= set(files) or (
        "schools" in files and "schoolid" in _header(archive, files.get("schools"))
    ):
        report.error(
            archive.label,
            None,
            None,
            "This is Clever's own CSV layout (schools.csv, teachers.csv, sections.csv…), not "
            "OneRoster. Export OneRoster CSV from your student information system, Clever or "
            "ClassLink, and upload that.",
        )
        return ""
    if {"school", "section", "teacher"} & set(files) and "orgs" not in files:
        report.error(
            archive.label,
            None,
            None,
            "This is a Microsoft School Data Sync v1 export (School.csv, Section.csv, "
            "Teacher.csv…), not OneRoster. Export OneRoster CSV, or School Data Sync v2.1, "
            "and upload that.",
        )
        return ""
    if "orgs" not in files and "users" not in files:
        found = ", ".join(sorted(files.values())[:8]) or "no CSV files"
        report.error(
            archive.label,
            None,
            None,
            "This is not a roster export Cadre knows: it has no orgs.csv or users.csv (it has "
            f"{found}). Upload a OneRoster CSV export.",
        )
        return ""
    users = _header(archive, files.get("users"))
    roles = _header(archive, files.get("roles"))
    enrollments = _header(archive, files.get("enrollments"))
    if "activedirectorymatchid" in users or (
        roles and "sourcedid" not in roles and "roletype" not in roles
    ):
        return SDS21
    if roles:
        return "1.2"
    if users and "status" not in users and enrollments and "sourcedid" not in enrollments:
        report.error(
            archive.label,
            None,
            None,
            "This is a Microsoft School Data Sync v2 export, a layout Microsoft retired in 2022. "
            "Export School Data Sync v2.1 or OneRoster CSV, and upload that.",
        )
        return ""
    if "userid" in users or (users and "enableduser" not in users):
        return "1.0"
    return "1.1"

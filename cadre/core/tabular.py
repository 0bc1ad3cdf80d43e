"""Reading the tables districts' systems export: zips and folders, encodings, headers, problems.

Every importer (the roster, HR data, assessment results) reads through here, so each one
accepts the same messy inputs and reports in the same shape:

- an upload is a zip (path or file object), a folder, or one file; names match without regard
  to case or folder, and a zip's unpacked size and compression ratio are capped before reading;
- a file is read as a stream in the encoding it is written in: UTF-8 with or without a
  byte-order mark, UTF-16 with one, or (said as a warning) Shift_JIS or Windows-1252 when the
  bytes are clearly one of them; a caller may name the encoding instead;
- a header is matched by name or synonym without regard to case, spaces or punctuation;
- problems are errors (nothing is written) or warnings (imported, and said), all of them in one
  pass: errors are capped per file with a count of the rest, warnings grouped by kind.
"""

from __future__ import annotations

import codecs
import csv
import difflib
import hashlib
import io
import re
import unicodedata
import zipfile
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path, PurePosixPath
from typing import IO

ERRORS_PER_FILE = 50
EXAMPLES_PER_WARNING = 5
SAMPLE_BYTES = 1 << 20  # what the encoding is guessed from
MAX_RATIO = 200  # a zip entry unpacking to more than this many times its size is refused
MAX_ENTRIES = 10_000  # an export has a dozen files

# Names people may give for an encoding, and what Python calls it.
ENCODINGS = {
    "utf-8": "utf-8",
    "utf8": "utf-8",
    "utf-8-sig": "utf-8-sig",
    "utf-16": "utf-16",
    "shift_jis": "cp932",
    "shift-jis": "cp932",
    "sjis": "cp932",
    "cp932": "cp932",
    "windows-31j": "cp932",
    "windows-1252": "cp1252",
    "cp1252": "cp1252",
    "latin-1": "latin-1",
    "latin1": "latin-1",
    "iso-8859-1": "latin-1",
}
LABELS = {
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8",
    "utf-16": "UTF-16",
    "cp932": "Shift_JIS",
    "cp1252": "Windows-1252 (Western European)",
    "latin-1": "Latin-1 (ISO 8859-1)",
}


@dataclass(frozen=True, slots=True)
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
class WarningGroup:
    """One kind of thing imported anyway: how many times, and the first few places."""

    kind: str
    summary: str
    count: int = 0
    examples: list[Problem] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "kind": self.kind,
            "summary": self.summary,
            "count": self.count,
            "examples": [e.as_dict() for e in self.examples],
        }


class Report:
    """Every problem of one import, gathered in one pass over every file."""

    def __init__(self, *, per_file: int = ERRORS_PER_FILE):
        self.per_file = per_file
        self.errors: list[Problem] = []
        self.omitted: Counter[str] = Counter()  # errors past the cap, per file
        self.warnings: dict[str, WarningGroup] = {}
        self._per_file: Counter[str] = Counter()

    def error(self, file: str, line: int | None, column: str | None, reason: str) -> None:
        if self._per_file[file] >= self.per_file:
            self.omitted[file] += 1
            return
        self._per_file[file] += 1
        self.errors.append(Problem(file, line, column, reason))

    def warn(
        self,
        kind: str,
        summary: str,
        file: str = "",
        line: int | None = None,
        column: str | None = None,
        reason: str = "",
        *,
        count: int = 1,
    ) -> None:
        group = self.warnings.get(kind)
        if group is None:
            group = self.warnings[kind] = WarningGroup(kind, summary)
        group.count += count
        if reason and len(group.examples) < EXAMPLES_PER_WARNING:
            group.examples.append(Problem(file, line, column, reason))

    @property
    def ok(self) -> bool:
        return not self.errors

    def snapshot(self) -> dict[str, tuple[int, int]]:
        """Each warning kind's count and number of examples so far (see `since`)."""
        return {k: (w.count, len(w.examples)) for k, w in self.warnings.items()}

    def since(self, snapshot: dict[str, tuple[int, int]]) -> list[dict]:
        """The warnings added after `snapshot`, as `warnings_json` gives them."""
        out = []
        for kind, w in self.warnings.items():
            count, seen = snapshot.get(kind, (0, 0))
            if w.count > count:
                added = WarningGroup(kind, w.summary, w.count - count, w.examples[seen:])
                out.append(added.as_dict())
        return out

    def error_count(self) -> int:
        return len(self.errors) + sum(self.omitted.values())

    def errors_json(self) -> list[dict]:
        """The errors, then one line per file saying how many more there were."""
        rows = [p.as_dict() for p in self.errors]
        for file, n in sorted(self.omitted.items()):
            rows.append(
                {
                    "file": file,
                    "line": None,
                    "column": None,
                    "reason": f"…and {n} more problem{'s' if n != 1 else ''} in this file.",
                }
            )
        return rows

    def warnings_json(self) -> list[dict]:
        return [w.as_dict() for w in self.warnings.values()]

    def lines(self) -> list[str]:
        """The errors and warnings as lines of text, for the command line."""
        out = [str(Problem(**p)) for p in self.errors_json()]
        for w in self.warnings.values():
            out.append(f"warning: {w.summary} ({w.count})")
            out.extend(f"  {e}" for e in w.examples)
        return out


class TooBig(Exception):
    """An archive Cadre will not unpack: past its limits, or in a way it cannot bound."""


def _safe_entries(zipped: zipfile.ZipFile, max_unpacked: int) -> list[zipfile.ZipInfo]:
    """The files of a zip worth reading, once its directory shows it cannot unpack past its
    limits (the entry count, the total size and each entry's compression ratio); else TooBig.

    The sizes checked are the ones the directory declares, and zipfile never unpacks an entry
    past its declared size (a lie fails its CRC check instead), so this bounds the reading too.
    """
    infos = zipped.infolist()
    if len(infos) > MAX_ENTRIES:
        raise TooBig(f"The zip holds {len(infos):,} files: this is not an export Cadre reads.")
    total = 0
    found = []
    for info in infos:
        if info.is_dir() or _junk(PurePosixPath(info.filename).parts):
            continue
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            # bzip2 and LZMA unpack without an output bound per read; exports use deflate.
            raise TooBig(
                f"{PurePosixPath(info.filename).name} is compressed in a way Cadre does not "
                "read (only the usual zip compression, deflate): zip it again with an "
                "ordinary zip tool."
            )
        total += info.file_size
        if info.file_size > 1 << 20 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise TooBig(
                f"{PurePosixPath(info.filename).name} unpacks to "
                f"{info.file_size // max(info.compress_size, 1):,} times its packed size: "
                "this is not an export Cadre reads."
            )
        if total > max_unpacked:
            raise TooBig(
                f"The zip unpacks to more than {max_unpacked // (1 << 20):,} MB; "
                "split it or raise the limit."
            )
        found.append(info)
    return found


def zip_problem(source, *, max_unpacked: int) -> str | None:
    """Why an uploaded zip must be refused before it is kept or queued (too many files, too
    large unpacked, a compression bomb, or not a zip at all), or None. Reads only the zip's
    directory, so it costs nothing for an export of any size."""
    try:
        if hasattr(source, "seek"):
            source.seek(0)
        with zipfile.ZipFile(source) as zipped:
            _safe_entries(zipped, max_unpacked)
    except TooBig as exc:
        return str(exc)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError):
        return "This is not a readable zip file. Upload the export as a .zip of CSV files."
    finally:
        if hasattr(source, "seek"):
            source.seek(0)
    return None


class Archive:
    """The files of an upload, found by name without regard to case or folder."""

    def __init__(self, source, *, report: Report, max_unpacked: int, label: str = ""):
        self.report = report
        self.label = label or _label(source)
        self._zip: zipfile.ZipFile | None = None
        self._entries: dict[str, tuple[int, Callable[[str], IO[bytes]], str]] = {}
        self.readable = True
        try:
            self._open(source, max_unpacked)
        except TooBig as exc:
            self.readable = False
            report.error(self.label, None, None, str(exc))
        except FileNotFoundError:
            self.readable = False
            report.error(self.label, None, None, "No such file or folder.")
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError):
            self.readable = False
            report.error(
                self.label,
                None,
                None,
                "This is not a readable zip file. Upload the export as a .zip of CSV files.",
            )

    def _open(self, source, max_unpacked: int) -> None:
        if isinstance(source, str | Path):
            path = Path(source)
            if path.is_dir():
                for found in sorted(path.rglob("*")):
                    if found.is_file() and not _junk(found.relative_to(path).parts):
                        self._add(found.name, found.stat().st_size, found.open)
                return
            if not path.exists():
                raise FileNotFoundError(path)
        if not zipfile.is_zipfile(source):
            if Path(self.label).suffix.lower() not in {".csv", ".txt", ".tsv"}:
                raise zipfile.BadZipFile(self.label)
            if isinstance(source, str | Path):
                self._add(self.label, Path(source).stat().st_size, Path(source).open)
            else:
                source.seek(0, io.SEEK_END)
                size = source.tell()
                self._add(self.label, size, lambda mode: _Unclosed(source))
            return
        if not isinstance(source, str | Path):
            source.seek(0)
        self._zip = zipfile.ZipFile(source)
        for info in _safe_entries(self._zip, max_unpacked):
            zipped = self._zip
            self._add(
                PurePosixPath(info.filename).name,
                info.file_size,
                lambda mode, info=info, zipped=zipped: zipped.open(info),
                f"crc32:{info.CRC:08x}:{info.file_size}",
            )

    def _add(self, name: str, size: int, opener, signature: str = "") -> None:
        key = name.lower()
        if key in self._entries:
            self.report.warn(
                "duplicate-file",
                "Files with the same name in more than one folder: the first was read",
                name,
                reason=f"{name} appears more than once; the first one was read.",
            )
            return
        self._entries[key] = (size, opener, signature)

    def has(self, name: str) -> bool:
        return name.lower() in self._entries

    def names(self) -> list[str]:
        return list(self._entries)

    def size(self, name: str) -> int:
        return self._entries[name.lower()][0]

    def open(self, name: str) -> IO[bytes]:
        return self._entries[name.lower()][1]("rb")

    def signature(self, name: str) -> str:
        """What identifies a file's content: the CRC-32 and size a zip already records, or a
        SHA-256 of the bytes read now."""
        size, opener, signature = self._entries[name.lower()]
        if signature:
            return signature
        digest = hashlib.sha256()
        with opener("rb") as stream:
            while chunk := stream.read(1 << 20):
                digest.update(chunk)
        return f"sha256:{digest.hexdigest()}:{size}"

    def close(self) -> None:
        if self._zip is not None:
            self._zip.close()


class _Unclosed(io.RawIOBase):
    """An uploaded file read from its start, left open for the next reader."""

    def __init__(self, source):
        self._source = source
        source.seek(0)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        data = self._source.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def readline(self, size=-1) -> bytes:
        return self._source.readline(size)


def _label(source) -> str:
    return Path(str(getattr(source, "name", None) or source)).name or "upload"


def _junk(parts: tuple[str, ...]) -> bool:
    """Folders and files that zip tools add beside the export (macOS resource forks)."""
    return any(p == "__MACOSX" or p.startswith("._") or p == ".DS_Store" for p in parts)


# --- encodings ----------------------------------------------------------------------------


def encoding_name(value: str) -> str:
    """Python's name for an encoding a person typed; ValueError for one Cadre does not read."""
    key = value.strip().lower().replace(" ", "")
    if key not in ENCODINGS:
        raise ValueError(
            f'"{value}" is not an encoding Cadre reads: use utf-8, utf-16, shift_jis, '
            "windows-1252 or latin-1."
        )
    return ENCODINGS[key]


def _japanese(ch: str) -> bool:
    o = ord(ch)
    return (
        0x3040 <= o <= 0x30FF  # hiragana, katakana
        or 0x4E00 <= o <= 0x9FFF  # common kanji
        or 0xFF61 <= o <= 0xFF9F  # half-width katakana
        or 0x3000 <= o <= 0x303F  # Japanese punctuation
        or 0xFF01 <= o <= 0xFF5E  # full-width forms
    )


def guess_encoding(sample: bytes) -> str:
    """The encoding a sample of bytes is written in: a byte-order mark, else UTF-8, else the
    legacy encoding that reads it as plausible text (Shift_JIS for Japanese, else Windows-1252).
    """
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        text = codecs.getincrementaldecoder("cp932")().decode(sample, final=False)
    except UnicodeDecodeError:
        text = ""
    if text:
        wide = [c for c in text if ord(c) > 0x7F]
        # Latin text read as Shift_JIS turns accented letters into kanji stuck to Latin
        # letters ("Garc\u7e8aa"); Japanese text keeps its kana and kanji together.
        glued = sum(
            1
            for i, c in enumerate(text)
            if ord(c) > 0x7F
            and any(
                0 <= j < len(text) and text[j].isascii() and text[j].isalpha()
                for j in (i - 1, i + 1)
            )
        )
        if wide and all(_japanese(c) for c in wide) and glued <= len(wide) // 4:
            return "cp932"
    try:
        sample.decode("cp1252")
        return "cp1252"
    except UnicodeDecodeError:
        return "latin-1"


# --- values -------------------------------------------------------------------------------

_ISO = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:$|[T ])")
_SLASHED = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})(?:$|[T ])")
_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})$")
_MONTH_NAME = re.compile(r"(\d{1,2})[- ]([A-Za-z]{3})[A-Za-z]*[- ,]+(\d{2}|\d{4})$")
MONTHS = {
    m: i
    for i, m in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1
    )
}


def parse_date(value: str) -> date | None:
    """A date as districts' systems write it; None when blank. ValueError when unreadable.

    `2026-08-01`, `2026-08-01T10:00:00.000Z`, `2026-08-01 10:00:00`, `2017/4/1` and `20170401`
    are year first; `15-AUG-19` names its month. Slashed dates with the year last are read
    month first, as US systems write them (`8/27/2018` is 27 August), unless the first number
    is above 12 (`27/8/2018`). Two-digit years are 2000–2069 or 1970–1999.
    """
    value = value.strip()
    if not value:
        return None
    if m := _ISO.match(value):
        year, month, day = (int(g) for g in m.groups())
    elif m := _SLASHED.match(value):
        first, second, year = (int(g) for g in m.groups())
        if len(m.group(3)) == 2:
            year += 2000 if year < 70 else 1900
        month, day = (second, first) if first > 12 else (first, second)
    elif m := _COMPACT.match(value):
        year, month, day = (int(g) for g in m.groups())
    elif (m := _MONTH_NAME.match(value)) and m.group(2).lower() in MONTHS:
        day, month, year = int(m.group(1)), MONTHS[m.group(2).lower()], int(m.group(3))
        if len(m.group(3)) == 2:
            year += 2000 if year < 70 else 1900
    else:
        raise ValueError(value)
    return date(year, month, day)


# --- tables -------------------------------------------------------------------------------


def norm(name: str) -> str:
    """A header's key: `Hire Date`, `hire_date` and `HIREDATE` are one column."""
    text = unicodedata.normalize("NFKC", name).casefold()
    return re.sub(r"[^0-9a-z]", "", text)


@dataclass
class Table:
    """One file's header and rows, read as a stream. Rows are (line, fields)."""

    file: str
    header: list[str]
    encoding: str
    delimiter: str
    _reader: Iterator[list[str]]
    _report: Report
    _text: IO[str]
    broken: bool = False

    def rows(self, tick=None, every: int = 20000) -> Iterator[tuple[int, list[str]]]:
        """Each row with its line number. `tick(rows_so_far)` is called every `every` rows,
        and once at the end. This loop runs once per row of every import: it stays lean."""
        width = len(self.header)
        reader = self._reader
        line = 1
        count = 0
        next_tick = every if tick is not None else -1
        try:
            while True:
                # The reader started after the header: its line 1 is the file's line 2.
                start = reader.line_num + 2
                try:
                    fields = next(reader)
                except StopIteration:
                    return
                line = start
                if len(fields) != width or not fields[0].strip():
                    if not any(f.strip() for f in fields):
                        continue  # blank lines, often at the end, and rows of empty cells
                    if len(fields) > width and not any(f.strip() for f in fields[width:]):
                        fields = fields[:width]  # a trailing delimiter
                    elif len(fields) < width:  # trailing empty cells left out
                        self._report.warn(
                            "short-row",
                            "Rows with fewer fields than the header were read with the rest "
                            "empty (check that their columns line up)",
                            self.file,
                            line,
                            None,
                            f"This row has {len(fields)} fields; the header has {width}.",
                        )
                        fields = fields + [""] * (width - len(fields))
                    elif len(fields) != width:
                        self._report.error(
                            self.file,
                            line,
                            None,
                            f"This row has {len(fields)} fields but the header has {width}.",
                        )
                        continue
                count += 1
                if count == next_tick:
                    tick(count)
                    next_tick += every
                yield line, fields
        except UnicodeDecodeError as exc:
            self.broken = True
            found = LABELS.get(guess_encoding(exc.object[exc.start :]), "another encoding")
            self._report.error(
                self.file,
                line + 1,
                None,
                f"Around this line the file stops being {LABELS.get(self.encoding, self.encoding)}"
                f" text; it looks like {found}. Save it as UTF-8 CSV, or name its encoding when "
                "you import.",
            )
        except csv.Error as exc:
            self.broken = True
            self._report.error(self.file, line + 1, None, f"Unreadable CSV: {exc}.")
        finally:
            self._text.close()
            if tick is not None:
                tick(count)


DELIMITERS = (",", "\t", ";", "|", "^")
SIGNATURES = (
    (b"PK\x03\x04", "an Excel workbook (or another zipped file)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an Excel 97-2003 workbook"),
    (b"%PDF", "a PDF document"),
)


def _binary(sample: bytes) -> str:
    """What a file that is not text is, by its first bytes; "" for text. UTF-16 text has
    NUL bytes too, so it is only binary when it has no byte-order mark."""
    for signature, name in SIGNATURES:
        if sample.startswith(signature):
            return name
    head = sample[:4096]
    if b"\0" in head and not head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "a binary file"
    return ""


def _sniff_delimiter(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in DELIMITERS}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] and counts[best] > counts[","] else ","


def read_table(
    stream: IO[bytes], *, file: str, report: Report, encoding: str | None = None
) -> Table | None:
    """Open a file for reading: its encoding (given, or guessed and said), delimiter and
    header. None, with an error, when it has no header or cannot be read at all."""
    sample = stream.read(SAMPLE_BYTES)
    buffered = io.BufferedReader(_Joined(sample, stream), 1 << 16)
    binary = _binary(sample)
    if binary:
        report.error(
            file,
            None,
            None,
            f"This is {binary}, not CSV text. Open it and save it as CSV (UTF-8), then upload "
            "that.",
        )
        return None
    chosen = encoding or guess_encoding(sample)
    if encoding is None and chosen in {"cp932", "cp1252", "latin-1"}:
        report.warn(
            "encoding",
            "Files that are not UTF-8 were read in the encoding they appear to use",
            file,
            reason=f"Read as {LABELS[chosen]}. If names look wrong, import it again "
            "naming its encoding.",
        )
    text = io.TextIOWrapper(buffered, encoding=chosen, errors="strict", newline="")
    try:
        first = text.readline()
    except UnicodeDecodeError:
        text.close()
        found = LABELS.get(guess_encoding(sample), "another encoding")
        report.error(
            file,
            1,
            None,
            f"The file is not {LABELS.get(chosen, chosen)} text; it looks like {found}. "
            "Save it as UTF-8 CSV, or name its encoding when you import.",
        )
        return None
    first = first.lstrip("\ufeff")
    if not first.strip():
        text.close()
        report.error(file, 1, None, "The file is empty: it has no header row.")
        return None
    delimiter = _sniff_delimiter(first)
    try:
        header = [
            h.strip().strip('"').strip() for h in next(csv.reader([first], delimiter=delimiter))
        ]
    except (csv.Error, StopIteration) as exc:
        text.close()
        report.error(file, 1, None, f"Unreadable header row: {exc}.")
        return None
    reader = csv.reader(text, delimiter=delimiter)
    return Table(file, header, chosen, delimiter, reader, report, text)


class _Joined(io.RawIOBase):
    """A stream whose first bytes were already read (to guess its encoding)."""

    def __init__(self, head: bytes, rest: IO[bytes]):
        self._head = memoryview(head)
        self._rest = rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if self._head:
            n = min(len(buffer), len(self._head))
            buffer[:n] = self._head[:n]
            self._head = self._head[n:]
            return n
        data = self._rest.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        self._rest.close()
        super().close()


@dataclass
class Column:
    """A field an importer reads: its name in messages, the headers that spell it, and (when
    the import cannot do without it) why it is required."""

    name: str
    synonyms: tuple[str, ...] = ()
    required: str = ""

    def spellings(self) -> list[str]:
        return [norm(self.name), *(norm(s) for s in self.synonyms)]


class Columns:
    """Where each field sits in a header. Missing required columns are errors that say why;
    a close misspelling is suggested only from headers no field has claimed and that are not
    `known` (normalised names of columns the file may rightly carry)."""

    def __init__(
        self,
        header: list[str],
        columns: list[Column],
        *,
        file: str,
        report: Report,
        mapping: dict[str, str] | None = None,
        known: set[str] = frozenset(),
    ):
        keys = [norm(h) for h in header]
        positions: dict[str, int] = {}
        for i, key in enumerate(keys):
            positions.setdefault(key, i)
        self.index: dict[str, int | None] = {}
        claimed: set[int] = set()
        forced = {norm(k): v for k, v in (mapping or {}).items()}  # header → field name
        for column in columns:
            at = None
            for header_key, field_name in forced.items():
                if field_name == column.name and header_key in positions:
                    at = positions[header_key]
            if at is None:
                at = next((positions[k] for k in column.spellings() if k in positions), None)
            self.index[column.name] = at
            if at is not None:
                claimed.add(at)
        self.missing: list[str] = []
        for column in columns:
            if self.index[column.name] is None and column.required:
                self.missing.append(column.name)
                # Only headers that are nothing else may be a misspelling of this one.
                free = [
                    h
                    for i, h in enumerate(header)
                    if i not in claimed and h and keys[i] not in known
                ]
                close = difflib.get_close_matches(column.name, free, n=1, cutoff=0.75)
                hint = f' The header has "{close[0]}": is it misspelt?' if close else ""
                report.error(
                    file,
                    1,
                    column.name,
                    f'The column "{column.name}" is missing: {column.required}.{hint}',
                )
        self.unread = [h for i, h in enumerate(header) if i not in claimed and h]

    @property
    def ok(self) -> bool:
        return not self.missing

    def has(self, name: str) -> bool:
        return self.index.get(name) is not None

    def getter(self, name: str):
        """A fast function from a row's fields to this column's value, stripped; "" if the
        header has no such column."""
        at = self.index.get(name)
        if at is None:
            return lambda fields: ""
        return lambda fields: fields[at].strip()


__all__ = [
    "Archive",
    "Column",
    "Columns",
    "Problem",
    "Report",
    "Table",
    "encoding_name",
    "guess_encoding",
    "norm",
    "parse_date",
    "read_table",
]

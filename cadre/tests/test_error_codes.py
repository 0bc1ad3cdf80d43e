"""Error codes are unique across apps. A code is `namespace.reason` (`goal.not_submitted`); each
namespace is raised by one app alone, so a code in a log or an API answer names one app's rule,
and no two namespaces differ only by underscores or a plural (`checkin.` and `check_in.`).

The codes are found in the source, as written: the first argument of `DomainError`, `Conflict`
and their subclasses; the `code` argument of any of Cadre's functions that takes one (`lock`,
`_not_future`, …); and a string compared with an error's `.code`. An f-string counts by its
namespace (`f"offering.{field}"`)."""

import ast
import re
from collections import defaultdict
from functools import cache
from pathlib import Path

CADRE = Path(__file__).resolve().parents[1]
CODE = re.compile(r"[a-z][a-z0-9_]*\.([a-z0-9_]+|[a-z0-9_]*\{\})")  # {}: an f-string's rest
ERRORS = {"DomainError", "Conflict"}


def _modules() -> list[tuple[str, Path, ast.Module]]:
    found = []
    for path in sorted(CADRE.glob("*/**/*.py")):
        parts = path.relative_to(CADRE).parts
        if "tests" in parts or "migrations" in parts:
            continue
        found.append((parts[0], path, ast.parse(path.read_text(), str(path))))
    return found


def _name(func: ast.expr) -> str | None:
    if isinstance(func, ast.Name):
        return func.id
    return func.attr if isinstance(func, ast.Attribute) else None


def _error_classes(modules) -> set[str]:
    """DomainError, Conflict and every class of Cadre's derived from them."""
    classes, grew = set(ERRORS), True
    while grew:
        grew = False
        for _, _, tree in modules:
            for node in ast.walk(tree):
                if (
                    isinstance(node, ast.ClassDef)
                    and node.name not in classes
                    and any(_name(base) in classes for base in node.bases)
                ):
                    classes.add(node.name)
                    grew = True
    return classes


def _code_parameters(modules) -> dict[str, set[int | None]]:
    """Each function of Cadre's that takes a `code`: where it stands among the positional
    arguments (None when it is keyword-only)."""
    where: dict[str, set[int | None]] = defaultdict(set)
    for _, _, tree in modules:
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                positional = [a.arg for a in [*node.args.posonlyargs, *node.args.args]]
                if "code" in positional:
                    where[node.name].add(positional.index("code"))
                elif "code" in [a.arg for a in node.args.kwonlyargs]:
                    where[node.name].add(None)
    return where


def _literal(node: ast.expr) -> str | None:
    """A code as written: a string, or an f-string up to its first placeholder."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr) and node.values:
        first = node.values[0]
        if isinstance(first, ast.Constant) and isinstance(first.value, str):
            return first.value + "{}"
    return None


@cache
def codes() -> list[tuple[str, str, str]]:
    """Every code in the source: (code, app, file:line)."""
    modules = _modules()
    errors, parameters = _error_classes(modules), _code_parameters(modules)
    found = []
    for app, path, tree in modules:
        where = f"{path.relative_to(CADRE.parent)}"
        for node in ast.walk(tree):
            values: list[ast.expr] = []
            if isinstance(node, ast.Call):
                name = _name(node.func)
                if name in errors and node.args:
                    values.append(node.args[0])
                if name in parameters:
                    at = {i for i in parameters[name] if i is not None}
                    values += [arg for i, arg in enumerate(node.args) if i in at]
                    values += [k.value for k in node.keywords if k.arg == "code"]
            elif isinstance(node, ast.Compare):
                sides = [node.left, *node.comparators]
                if any(isinstance(s, ast.Attribute) and s.attr == "code" for s in sides):
                    values += sides
            for value in values:
                code = _literal(value)
                if code is not None:
                    found.append((code, app, f"{where}:{value.lineno}"))
    return found


def _namespace(code: str) -> str:
    return code.split(".", 1)[0]


def _spellings(namespace: str) -> set[str]:
    """The namespace without underscores, and without a plural ending."""
    bare = namespace.replace("_", "")
    return {bare} | {bare.removesuffix(end) for end in ("s", "es") if bare.endswith(end)}


def test_the_scan_finds_codes_however_they_are_written():
    found = {(code, app) for code, app, _ in codes()}
    for expected in [
        ("program_plan.published", "funding"),  # Conflict(...)
        ("plan.published", "planning"),
        ("goal.not_submitted", "growth"),  # lock(..., code=...)
        ("group_check_in.future", "collaboration"),  # _not_future(district, on, code, ...)
        ("cycle.not_teacher", "coaching"),  # _check_may(actor, action, obj, code, ...)
        ("input.rate_limited", "planning"),  # a subclass of DomainError
        ("offering.{}", "catalog"),  # f"offering.{field}"
        ("attachment.too_big", "core"),
    ]:
        assert expected in found
    assert len(found) > 300


def test_every_code_has_a_namespace():
    bad = [f"{where}: {code!r}" for code, _, where in codes() if not CODE.fullmatch(code)]
    assert not bad, "codes are namespace.reason:\n" + "\n".join(bad)


def test_each_namespace_belongs_to_one_app():
    apps: dict[str, dict[str, str]] = defaultdict(dict)
    for code, app, where in codes():
        apps[_namespace(code)].setdefault(app, f"{code} at {where}")
    shared = {ns: seen for ns, seen in apps.items() if len(seen) > 1}
    assert not shared, "namespaces raised by more than one app:\n" + "\n".join(
        f"{ns}.: " + "; ".join(f"{app} ({first})" for app, first in sorted(seen.items()))
        for ns, seen in sorted(shared.items())
    )


def test_no_two_namespaces_are_spelled_alike():
    by_spelling: dict[str, set[str]] = defaultdict(set)
    for code, _, _ in codes():
        for spelling in _spellings(_namespace(code)):
            by_spelling[spelling].add(_namespace(code))
    alike = sorted({tuple(sorted(names)) for names in by_spelling.values() if len(names) > 1})
    assert not alike, f"namespaces that differ only by underscores or a plural: {alike}"


def test_spellings():
    assert _spellings("check_in") & _spellings("checkin")
    assert _spellings("plans") & _spellings("plan")
    assert _spellings("matches") & _spellings("match")
    assert not _spellings("pd_plan") & _spellings("plan")

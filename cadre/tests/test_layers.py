"""The apps are layered, and an app imports only apps at or below its own layer:

    core  <-  districts, accounts  <-  audit  <-  the domain apps

core holds the pieces every app shares and knows no app; districts (the tenant, its people and
access) and accounts (logins) build on core; audit records and shows what happened to their
rows and everyone's; the domain apps build on all of them and may use one another. Where a lower
app needs an upper one's answer, it calls a `cadre.core.slots.Slot` that the upper app plugs in
at its AppConfig.ready(). Imports inside functions count too: deferring one does not change
which app depends on which."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]  # the cadre package
APPS = sorted(p.name for p in ROOT.iterdir() if (p / "apps.py").exists())
LAYER = {"core": 0, "districts": 1, "accounts": 1, "audit": 2}  # any other app: a domain app
DOMAIN = 3


def layer(app: str) -> int:
    return LAYER.get(app, DOMAIN)


def modules(app: str):
    for path in sorted((ROOT / app).rglob("*.py")):
        if {"tests", "migrations"} & set(path.relative_to(ROOT / app).parts[:-1]):
            continue
        yield path


def imported(path: Path, package: list[str]):
    """(line, module) for every import in the file, relative ones made absolute."""
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            name = ".".join([*base, node.module] if node.module else base)
            yield node.lineno, name
            if not node.module:  # "from . import x": x may be a module
                for alias in node.names:
                    yield node.lineno, f"{name}.{alias.name}"


def test_every_app_has_a_layer():
    assert set(LAYER) <= set(APPS)
    assert len(APPS) > len(LAYER)  # the domain apps are the rest


@pytest.mark.parametrize("app", APPS)
def test_an_app_imports_only_apps_at_or_below_its_layer(app):
    upward = []
    for path in modules(app):
        for line, name in imported(path, ["cadre", *path.relative_to(ROOT).parts[:-1]]):
            parts = name.split(".")
            if parts[0] != "cadre" or len(parts) < 2 or parts[1] not in APPS:
                continue
            if layer(parts[1]) > layer(app):
                upward.append(f"{path.relative_to(ROOT.parent)}:{line} imports {name}")
    assert upward == []


def test_the_walk_sees_imports_inside_functions_and_relative_ones(tmp_path):
    source = tmp_path / "x.py"
    source.write_text(
        "def f():\n    from cadre.audit.models import AuditEvent\n"
        "    import cadre.growth\n"
        "    from ..funding import services\n"
    )
    found = {name for _, name in imported(source, ["cadre", "core"])}
    assert {"cadre.audit.models", "cadre.growth", "cadre.funding"} <= found

"""Settings read from the environment, checked in a fresh process as an operator would run them."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
# What an operator sets; the test process's own values must not leak into the child.
OPERATOR_SETS = {
    "DEBUG",
    "SECRET_KEY",
    "DATABASE_URL",
    "ALLOWED_HOSTS",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
}


def _manage(*args, env: dict, tmp_path) -> subprocess.CompletedProcess:
    base = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {"DEBUG", "SECRET_KEY", "DATABASE_URL", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    base["CADRE_DATA_DIR"] = str(tmp_path)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=base | env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    result = _manage("check", env={"DEBUG": "0"}, tmp_path=tmp_path)
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_debug_generates_and_keeps_a_local_key(tmp_path):
    assert _manage("check", env={"DEBUG": "1"}, tmp_path=tmp_path).returncode == 0
    key = (tmp_path / "secret_key").read_text()
    assert len(key) >= 50
    assert _manage("check", env={"DEBUG": "1"}, tmp_path=tmp_path).returncode == 0
    assert (tmp_path / "secret_key").read_text() == key


def test_deploy_check_is_clean_with_real_values(tmp_path):
    env = {
        "DEBUG": "0",
        "SECRET_KEY": "k" * 10 + "9f8e7d6c5b4a39281706f5e4d3c2b1a0zyxwvutsrqponmlkjihg",
        "ALLOWED_HOSTS": "cadre.example.org",
        "EMAIL_HOST": "smtp.example.org",
    }
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=env, tmp_path=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_models_and_migrations_agree(tmp_path):
    result = _manage(
        "makemigrations", "--check", "--dry-run", env={"DEBUG": "1"}, tmp_path=tmp_path
    )
    assert result.returncode == 0, result.stdout + result.stderr

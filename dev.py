#!/usr/bin/env python3
"""Set up and run Cadre on a fresh machine that has only Python 3.11+ and git.

    python3 dev.py demo     build the demo district on SQLite and serve it at http://127.0.0.1:8000
    python3 dev.py test     run the whole test suite (extra arguments go to pytest)
    python3 dev.py lint     ruff check and ruff format --check

Each creates or reuses .venv and installs the locked dependencies (requirements.lock) first.
"""

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
LOCK = ROOT / "requirements.lock"
STAMP = VENV / ".cadre-lock"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


def say(message: str) -> None:
    print(f"==> {message}", flush=True)


def ensure_venv() -> None:
    if sys.version_info < (3, 11):  # noqa: UP036 (dev.py is what an older Python runs first)
        sys.exit("Cadre needs Python 3.11 or newer.")
    if not PYTHON.exists():
        say("Creating the virtual environment in .venv")
        venv.EnvBuilder(with_pip=True).create(VENV)
    digest = hashlib.sha256(LOCK.read_bytes()).hexdigest()
    if STAMP.exists() and STAMP.read_text() == digest:
        return
    say("Installing the locked dependencies")
    pip = [str(PYTHON), "-m", "pip", "--disable-pip-version-check", "-q"]
    subprocess.run([*pip, "install", "--require-hashes", "-r", str(LOCK)], check=True)
    STAMP.write_text(digest)


def run(*args: str, env: dict | None = None) -> None:
    subprocess.run([str(PYTHON), *args], cwd=ROOT, check=True, env=env)


def local_env() -> dict:
    env = dict(os.environ)
    env.setdefault("DEBUG", "1")
    env.setdefault("PYTHONUNBUFFERED", "1")
    return env


def demo() -> None:
    env = local_env()
    run("manage.py", "migrate", "--no-input", env=env)
    run("manage.py", "demo", "--if-empty", env=env)
    say("Starting the background worker and the server at http://127.0.0.1:8000")
    worker = subprocess.Popen([str(PYTHON), "manage.py", "db_worker"], cwd=ROOT, env=env)
    try:
        run("manage.py", "runserver", "127.0.0.1:8000", env=env)
    except KeyboardInterrupt:
        pass
    finally:
        worker.send_signal(signal.SIGINT)
        worker.wait(timeout=10)


def test(extra: list[str]) -> int:
    env = local_env()
    env["TASKS_BACKEND"] = "django_tasks.backends.immediate.ImmediateBackend"
    args = ["-m", "pytest", "-n", os.environ.get("PYTEST_WORKERS", "2")]
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        say(f"Chromium is not at {CHROMIUM}: the browser tests are left out of this run.")
        say("Install it with `apt-get install -y chromium` to run them (CI does).")
        args += ["-m", "not browser"]
    return subprocess.run([str(PYTHON), *args, *extra], cwd=ROOT, env=env).returncode


def lint() -> int:
    ruff = str(BIN / "ruff")
    checked = subprocess.run([ruff, "check", "."], cwd=ROOT).returncode
    formatted = subprocess.run([ruff, "format", "--check", "."], cwd=ROOT).returncode
    return checked or formatted


def main() -> None:
    command, extra = (sys.argv[1], sys.argv[2:]) if len(sys.argv) > 1 else ("help", [])
    if command not in {"demo", "test", "lint"}:
        print(__doc__)
        sys.exit(0 if command == "help" else 2)
    ensure_venv()
    if command == "demo":
        demo()
    elif command == "test":
        sys.exit(test(extra))
    else:
        sys.exit(lint())


if __name__ == "__main__":
    main()

"""Time the demo build (`manage.py demo`) against `manage.py migrate` in the same run.

    python benchmarks/demo.py [--runs 2]

Each run takes a fresh, throwaway SQLite file (the settings' own, with WAL, in a temporary
data directory, DEBUG on as `dev.py demo` has it), times `migrate` as the baseline, then the
demo build, each in its own process, and prints for both the wall time and the CPU time the
process used (on a busy machine the wall time grows with the others' work, the CPU time much
less), the build's ratio to the baseline, and the build's own split by app as `manage.py demo`
prints it. The goal is a build under 30 s on SQLite.
"""

import argparse
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def timed(args: list[str], env: dict) -> tuple[float, float, str]:
    """Wall and CPU seconds of `manage.py <args>` in its own process, and its output."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, done.stdout


def split(out: str) -> str:
    """The per-app line `manage.py demo` prints under "Built ... in N s."."""
    lines = out.splitlines()
    for i, line in enumerate(lines):
        if re.match(r"Built .* in [\d.]+ s\.", line) and i + 1 < len(lines):
            return lines[i + 1].strip()
    return "(no split printed)"


def run(n: int) -> None:
    with tempfile.TemporaryDirectory(prefix="cadre-demo-bench-") as tmp:
        env = dict(os.environ)
        env.pop("DATABASE_URL", None)
        env |= {"CADRE_DATA_DIR": tmp, "DEBUG": "1", "PYTHONUNBUFFERED": "1"}
        m_wall, m_cpu, _ = timed(["migrate", "--no-input", "-v", "0"], env)
        d_wall, d_cpu, out = timed(["demo"], env)
    print(f"run {n}: migrate (baseline) {m_wall:.1f} s wall, {m_cpu:.1f} s CPU")
    print(
        f"run {n}: demo build          {d_wall:.1f} s wall, {d_cpu:.1f} s CPU "
        f"({d_wall / m_wall:.1f}× migrate's wall, {d_cpu / m_cpu:.1f}× its CPU; "
        f"the build had {d_cpu / d_wall:.0%} of a core)"
    )
    print(f"run {n}: by app: {split(out)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args()
    for n in range(1, args.runs + 1):
        run(n)


if __name__ == "__main__":
    main()

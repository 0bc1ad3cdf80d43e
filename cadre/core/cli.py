"""What management commands share."""

import sys
from collections.abc import Iterator
from contextlib import contextmanager

from tqdm import tqdm


@contextmanager
def progress_bar(options: dict) -> Iterator:
    """A progress callback `(stage, done, total)` drawing a bar on a terminal (or with -v 2)."""
    bar = tqdm(
        total=1,
        file=sys.stderr,
        dynamic_ncols=True,
        disable=not sys.stderr.isatty() and options.get("verbosity", 1) < 2,
    )

    def progress(stage: str, done: int, total: int) -> None:
        bar.set_description(stage)
        bar.total = max(total, 1)
        bar.n = done
        bar.refresh()

    try:
        yield progress
    finally:
        bar.close()

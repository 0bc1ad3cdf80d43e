"""The demo's collaboration data."""


def build(b, result) -> None:
    pass

"""The demo's coaching data."""


def build(b, result) -> None:
    pass

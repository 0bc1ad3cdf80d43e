"""Placeholder: the registration helper replaces this module."""


def settle(*, registration, actor) -> None:
    """Turn a registration's fee and substitute-day encumbrances into expenditures when its
    session closes (the registration helper's contract with `session_close`)."""

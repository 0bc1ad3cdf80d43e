"""Placeholder: the registration helper replaces this module."""


def session_panel(actor, session) -> dict:
    """What the session page shows about registration for this person (the registration
    helper's contract with the session page)."""
    return {}

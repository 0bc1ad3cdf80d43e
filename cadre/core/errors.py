class DomainError(Exception):
    """A rule of the domain refused an action. `code` is short and stable, `namespace.reason`
    (`goal.not_submitted`); each namespace is one app's alone (cadre/tests/test_error_codes.py)."""

    status = 400

    def __init__(self, code: str, detail: str, *, field: str | None = None):
        super().__init__(detail)
        self.code = code
        self.detail = detail
        self.field = field


class Conflict(DomainError):
    """The action clashes with the current state of the record (HTTP 409)."""

    status = 409

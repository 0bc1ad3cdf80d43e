"""What the funding API's resources share: `_reads`, the schema of a read-mostly resource, and
`NOT_OFFERED`, which hides an inherited action. The API is a thin layer over the same
selectors, access rules and services as the pages.

- Lists and lookups read through `selectors`, which start from `access.visible`: a row outside
  the caller's district or scope is simply not there (404).
- A visible row the caller may not act on answers 403 (`access.require`, before the body is
  read, so a refused caller learns nothing from validation).
- Writes call `services`; a refused action surfaces as {"code", "detail"} (400 or 409).
- The ledger is append-only: entries are read here and posted through budgets/{id}/post/.
"""

from typing import Any

from drf_spectacular.utils import extend_schema, extend_schema_view


def _reads(query, name: str, **more) -> Any:
    """The OpenAPI description of a resource that is listed and read but not created or
    edited directly; `more` describes whichever of create or partial_update it does offer."""
    return extend_schema_view(
        list=extend_schema(parameters=[query], summary=f"List {name}"),
        retrieve=extend_schema(summary=f"One of the {name}"),
        **more,
    )


class _NotOffered:
    """Hides an inherited action from the router, so its route is never built: the method
    answers 405, `Allow` leaves it out, and so does the schema."""

    def __get__(self, obj, owner=None):
        raise AttributeError("not offered")


NOT_OFFERED = _NotOffered()

"""What the small-groups API shares. The API (`groups`, `meetings`, `check_ins`) is a thin
layer over the same access rules, selectors and services as the pages.

- Lists and lookups start from `access.visible`: a group, its meetings (with their attendance
  and reflections) and its check-ins are there for its facilitator and members, the leaders
  of the schools it serves and administrators. Anything else is simply not there (404).
- A visible row the caller may not act on answers 403 (`access.require`, before the body is
  read where the right does not depend on the body, so a refused caller learns nothing from
  validation).
- Writes call the services; a refused action surfaces as {"code", "detail"}: 400 for bad
  input, 409 for a step the group's state does not allow (a closed cycle, a second member).
"""

from typing import Any


def _text_fields(data: dict[str, Any], names: list[str]) -> dict[str, Any]:
    return {name: data[name] for name in names if name in data}

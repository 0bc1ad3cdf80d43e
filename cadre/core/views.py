"""Helpers every app's views share: the actor gate, pagination and domain errors on forms."""

from functools import wraps
from urllib.parse import urlencode

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator

from cadre.core.errors import DomainError

PER_PAGE = 50


def actor_required(view):
    """Signed in with an active staff record; the view reads `request.actor`."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated or request.actor is None:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return wrapper


def paginate(request, qs, per_page: int = PER_PAGE):
    page = Paginator(qs, per_page).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    page.query = urlencode([(k, v) for k, v in params.items() if v])
    return page


def form_error(form, exc: Exception) -> None:
    """Show a service's refusal inline on the form instead of a 500."""
    if isinstance(exc, DomainError):
        field = exc.field if exc.field in form.fields else None
        form.add_error(field, f"{exc.detail} ({exc.code})")
    elif isinstance(exc, ValidationError):
        if hasattr(exc, "error_dict"):
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, exc.messages)
    else:
        raise exc


def parse_bool(value: str | None) -> bool | None:
    """'1'/'true' → True, '0'/'false' → False, anything else (all, blank) → None."""
    value = (value or "").strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    return None


def parse_int(value: str | None) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None

"""Helpers every app's views share: the actor gate, pagination and domain errors on forms."""

from functools import wraps
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse

from cadre.core.errors import Conflict, DomainError

PER_PAGE = 50


def actor_required(view):
    """Signed in with an active staff record; the view reads `request.actor`."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if getattr(request, "choose_district", False):
            # Signed in to several districts: they say which one first, then come back here.
            query = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse('account-district')}?{query}")
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


BIGGEST = 2**63 - 1  # the database's integer range; a bigger id is no id, not a crash


def parse_text(value: str | None, limit: int = 200) -> str:
    """A search box's text, trimmed and cut short. (A NUL, which PostgreSQL refuses in a query,
    never gets here: RefuseNulMiddleware answers 400 first.)"""
    return (value or "").strip()[:limit]


def parse_choice(value: str | None, choices) -> str:
    """A filter value that is one of the choices, else "" (no filter)."""
    return value if value in {c[0] for c in choices} else ""


def parse_int(value: str | None) -> int | None:
    try:
        number = int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None
    return number if number is None or -BIGGEST <= number <= BIGGEST else None


def save_form(
    request,
    form,
    save,
    *,
    title: str,
    cancel: str,
    extra: dict | None = None,
    template: str = "districts/form.html",
):
    """Validate, call the service, and show any refusal inline on the form.

    A ModelForm's instance must be a copy, not the object given to the service: validation
    writes into the instance, and the service audits the difference from the stored values.
    """
    if request.method == "POST" and form.is_valid():
        try:
            obj = save(form.cleaned_data)
        except (DomainError, ValidationError) as exc:
            form_error(form, exc)
        else:
            messages.success(request, f"Saved {obj}.")
            return redirect(obj.get_absolute_url())
    context = {"form": form, "title": title, "cancel": cancel, **(extra or {})}
    return render(request, template, context, status=400 if request.method == "POST" else 200)


def refused(exc: DomainError) -> str:
    return f"{exc.detail} ({exc.code})"


def transition(request, action, obj=None, *, done, to: str | None = None):
    """A POST step on a record: call the service (`action`). Its refusal is an error message;
    else `done` is the success message: a text, or a function of what the service returned
    that gives the text (or None when it has left a message of its own). Then back to `to`,
    by default the record's page."""
    try:
        result = action()
    except DomainError as exc:
        messages.error(request, refused(exc))
    else:
        text = done(result) if callable(done) else done
        if text:
            messages.success(request, text)
    return redirect(obj.get_absolute_url() if to is None else to)


def act(request, obj, form, call, *, done: str, page):
    """A POST step on a record that takes input. Bad input, or a refusal about that input,
    re-renders the record's page with the form's errors (`page(form)`, a 400) so nothing typed
    is lost; a refusal because of the record's state is a message on the record's page."""
    if not form.is_valid():
        return page(form)
    try:
        call(form.cleaned_data)
    except Conflict as exc:
        messages.error(request, refused(exc))
    except (DomainError, ValidationError) as exc:
        if isinstance(exc, DomainError) and exc.field not in form.fields:
            messages.error(request, refused(exc))
            return redirect(obj.get_absolute_url())
        form_error(form, exc)
        return page(form)
    else:
        messages.success(request, done)
    return redirect(obj.get_absolute_url())

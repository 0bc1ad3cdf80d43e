from django.utils import timezone
from django_scopes.state import state
from rest_framework import exceptions, viewsets

from cadre.core.actors import actor_for, districts_for
from cadre.core.errors import DomainError

# Names the district of a call, by its slug, for a login with staff records in several.
DISTRICT_HEADER = "X-Cadre-District"


def _yours(districts) -> str:
    return "Yours: " + ", ".join(f"{d.slug} ({d.name})" for d in districts) + "."


class ScopedViewSetMixin:
    """Runs the view inside the caller's district scope once DRF has authenticated them.

    Token-authenticated calls are only known after authentication, which happens inside the
    view, so the scope cannot come from middleware alone.
    """

    actor = None

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.actor = self._actor(request)
        if self.actor is None:
            raise exceptions.NotAuthenticated("An active staff record is required.")
        current = dict(state.get() or {})
        current.update({"_enabled": True, "district": self.actor.district.pk})
        self._scope_token = state.set(current)
        # Times in and out are the district's, for token calls as for pages.
        self._time_zone = timezone.get_current_timezone()
        timezone.activate(self.actor.district.tz)

    def _actor(self, request):
        """A session call has its actor (the district chosen on sign-in) from the middleware; a
        token call names its district in the header when the person works in several."""
        named = request.headers.get(DISTRICT_HEADER)
        known = getattr(request._request, "actor", None)
        if named is None and known and known.user.pk == request.user.pk:
            return known
        if named is not None:
            actor = actor_for(request.user, district_slug=named.strip())
            if actor is None and (districts := districts_for(request.user)):
                raise DomainError(
                    "district_header.unknown",
                    f"The {DISTRICT_HEADER} header names none of your districts. "
                    + _yours(districts),
                )
            return actor
        actor = actor_for(request.user)
        if actor is None and len(districts := districts_for(request.user)) > 1:
            raise DomainError(
                "district_header.choose",
                f"You work in more than one district: name one in the {DISTRICT_HEADER} "
                f"header. {_yours(districts)}",
            )
        return actor

    def finalize_response(self, request, response, *args, **kwargs):
        token = getattr(self, "_scope_token", None)
        if token is not None:
            state.reset(token)
            self._scope_token = None
            timezone.activate(self._time_zone)
        return super().finalize_response(request, response, *args, **kwargs)


class ScopedModelViewSet(ScopedViewSetMixin, viewsets.ModelViewSet):
    http_method_names = ["get", "post", "patch", "head", "options"]


class ScopedReadOnlyViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    pass

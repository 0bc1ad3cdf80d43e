from django.utils import timezone
from django_scopes.state import state
from rest_framework import exceptions, viewsets

from cadre.districts.access import actor_for


class ScopedViewSetMixin:
    """Runs the view inside the caller's district scope once DRF has authenticated them.

    Token-authenticated calls are only known after authentication, which happens inside the
    view, so the scope cannot come from middleware alone.
    """

    actor = None

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        # A session call already has its actor from the middleware; a token call does not.
        known = getattr(request._request, "actor", None)
        self.actor = (
            known if known and known.user.pk == request.user.pk else actor_for(request.user)
        )
        if self.actor is None:
            raise exceptions.NotAuthenticated("An active staff record is required.")
        current = dict(state.get() or {})
        current.update({"_enabled": True, "district": self.actor.district.pk})
        self._scope_token = state.set(current)
        # Times in and out are the district's, for token calls as for pages.
        self._time_zone = timezone.get_current_timezone()
        timezone.activate(self.actor.district.tz)

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

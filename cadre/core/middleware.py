from django.contrib.auth import logout
from django.utils import timezone
from django_scopes import scope

from cadre.districts.access import actor_for


class DistrictMiddleware:
    """Sets `request.actor` and runs the request inside its district's scope and time zone.

    Anonymous requests run with no district scope, so a query on a district model fails loudly.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        actor = actor_for(request.user) if request.user.is_authenticated else None
        if actor is None and request.user.is_authenticated:
            # The staff record was deactivated since sign-in: end the session now.
            logout(request)
        request.actor = actor
        if actor is None:
            return self.get_response(request)
        timezone.activate(actor.district.tz)
        try:
            with scope(district=actor.district.pk):
                return self.get_response(request)
        finally:
            timezone.deactivate()

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from rest_framework.authtoken.models import Token

from cadre.accounts import services
from cadre.core.actors import DISTRICT_SESSION_KEY
from cadre.core.api import DISTRICT_HEADER
from cadre.core.views import actor_required
from cadre.districts.access import districts_for


@actor_required
def api_token(request):
    """A personal token for the API. Shown once when made; only a prefix afterwards."""
    token = Token.objects.filter(user=request.user).first()
    new_key = None
    if request.method == "POST":
        staff = request.actor.staff
        if request.POST.get("action") == "revoke":
            services.token_revoke(user=request.user, staff=staff)
            messages.success(request, "Your API token is revoked.")
            return redirect("account-token")
        token = services.token_rotate(user=request.user, staff=staff)
        new_key = token.key
    districts = districts_for(request.user) if request.actor.district_count > 1 else []
    return render(
        request,
        "accounts/token.html",
        {"token": token, "new_key": new_key, "districts": districts, "header": DISTRICT_HEADER},
    )


def district_choose(request):
    """Which district to work in, for a person with staff records in several. Only the
    districts of their own active records are offered or taken."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    districts = districts_for(request.user)
    if not districts:
        return redirect_to_login(request.get_full_path())
    target = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = ""
    error = ""
    if request.method == "POST":
        chosen = next((d for d in districts if str(d.pk) == request.POST.get("district")), None)
        if chosen is not None:
            request.session[DISTRICT_SESSION_KEY] = chosen.pk
            messages.success(request, f"You are working in {chosen.name}.")
            return redirect(target or "home")
        error = "Choose one of your districts."
    current = request.actor.district.pk if request.actor else None
    return render(
        request,
        "accounts/district.html",
        {"districts": districts, "current": current, "next": target, "error": error},
        status=400 if error else 200,
    )

from django.contrib import messages
from django.shortcuts import redirect, render
from rest_framework.authtoken.models import Token

from cadre.accounts import services
from cadre.core.views import actor_required


@actor_required
def api_token(request):
    """A personal token for the API. Shown once when made; only a prefix afterwards."""
    token = Token.objects.filter(user=request.user).first()
    new_key = None
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            services.token_revoke(user=request.user)
            messages.success(request, "Your API token is revoked.")
            return redirect("account-token")
        token = services.token_rotate(user=request.user)
        new_key = token.key
    return render(request, "accounts/token.html", {"token": token, "new_key": new_key})

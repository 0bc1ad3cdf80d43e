from allauth.account import urls as allauth_account_urls
from django.http import Http404
from django.urls import URLPattern, path

from cadre.accounts import views

# A sign-in address is set by the person's district (roster, HR data, administrator), never
# by the person: allauth's pages to add, remove, make primary, verify or resend an address
# answer 404. Matched here first, under allauth's names (allauth reverses them).
EMAIL_PAGES = {"account_email", "account_email_verification_sent", "account_confirm_email"}


def not_found(request, *args, **kwargs):
    raise Http404


urlpatterns = [
    path("token/", views.api_token, name="account-token"),
    path("district/", views.district_choose, name="account-district"),
    *(
        URLPattern(p.pattern, not_found, name=p.name)
        for p in allauth_account_urls.urlpatterns
        if getattr(p, "name", None) in EMAIL_PAGES
    ),
]

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from allauth.core import ratelimit
from allauth.core.internal import ratelimit as ratelimit_impl
from allauth.core.internal.httpkit import clean_client_ip
from django.contrib.sites.shortcuts import get_current_site
from django.core.exceptions import ImproperlyConfigured, PermissionDenied

from cadre.core.tasks import send_later


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request) -> bool:
        # People come from the district's roster, never from self sign-up.
        return False

    def pre_login(self, request, user, **kwargs):
        # allauth lets a user whose password matched through even when the backend refused
        # them; only an active staff record opens a session here.
        from cadre.accounts.backends import StaffBackend

        if not StaffBackend().user_can_authenticate(user):
            return self.respond_user_inactive(request, user)
        return super().pre_login(request, user, **kwargs)

    def get_client_ip(self, request) -> str:
        # allauth raises (a 500) when X-Forwarded-For lists fewer hops than
        # TRUSTED_PROXY_COUNT, as on a request that reached Cadre without passing the proxy;
        # count that request by the address it really came from.
        try:
            return super().get_client_ip(request)
        except ImproperlyConfigured:
            ip = clean_client_ip(request.META.get("REMOTE_ADDR") or "")
            if not ip:
                raise PermissionDenied("Unable to determine client IP address") from None
            return ip

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        # Rendered here, sent by a task: a mail server that is down never fails the page, and
        # the task tries again later. Every allauth mail (password reset…) comes this way.
        request = allauth_context.request
        ctx = {"request": request, "email": email, "current_site": get_current_site(request)}
        ctx.update(context)
        send_later(self.render_mail(template_prefix, email, ctx))

    # Sign-in limits (README, "Sign-in limits"). allauth counts failures per typed address and
    # per client address, so one pupil's guesses at a school's shared address refused everyone
    # there. Here failures count per account *from one client address*, under a ceiling per
    # client address and one per account.

    def _get_login_attempts_cache_key(self, request, **credentials) -> str:
        account = super()._get_login_attempts_cache_key(request, **credentials)
        return f"{account}|{ratelimit_impl.get_ip(request)}"

    def pre_authenticate(self, request, **credentials) -> None:
        account = super()._get_login_attempts_cache_key(request, **credentials)
        spray = self._consume_or_refuse(request, "login_failed_ip", key=None)
        super().pre_authenticate(request, **credentials)  # this account from this address
        across = self._consume_or_refuse(request, "login_failed_account", key=account)
        # allauth rolls its usage back when the password is right; ours goes with it
        self._login_failed_rl_usage.usage += spray + across

    def _consume_or_refuse(self, request, action: str, key: str | None) -> list:
        usage = ratelimit_impl.consume(request, app="allauth.account", action=action, key=key)
        if not usage:
            raise self.validation_error("too_many_login_attempts")
        return usage.usage

    def _delete_login_attempts_cached_email(self, request, **credentials) -> None:
        # After a password reset: the account's counts go, never the client address's ceiling.
        super()._delete_login_attempts_cached_email(request, **credentials)
        account = super()._get_login_attempts_cache_key(request, **credentials)
        ratelimit.clear(request, action="login_failed_account", key=account)

from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag(takes_context=True)
def sign_in_needs_https(context) -> bool:
    """True when this request came over plain http but the session and CSRF cookies are
    Secure-only (DEBUG=0's default): the browser will not send them back, so signing in here
    cannot work, and the page should say why rather than fail in silence."""
    request = context.get("request")
    secure_cookies = settings.SESSION_COOKIE_SECURE or settings.CSRF_COOKIE_SECURE
    return bool(request is not None and secure_cookies and not request.is_secure())

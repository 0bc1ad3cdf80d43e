import json
from io import BytesIO

from django.conf import settings
from django.contrib.auth import logout
from django.core.exceptions import RequestDataTooBig
from django.core.files import uploadhandler
from django.http import HttpResponseBadRequest, JsonResponse, QueryDict
from django.http.multipartparser import MultiPartParser, MultiPartParserError
from django.utils import timezone
from django_scopes import scope

from cadre.core.actors import DISTRICT_SESSION_KEY, actor_for, districts_for


class DistrictMiddleware:
    """Sets `request.actor` and runs the request inside its district's scope and time zone.

    Anonymous requests run with no district scope, so a query on a district model fails loudly.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        actor, request.choose_district = None, False
        if request.user.is_authenticated:
            chosen = request.session.get(DISTRICT_SESSION_KEY)
            actor = actor_for(request.user, district_id=chosen)
            if actor is None and districts_for(request.user):
                # Active in several districts and none chosen yet: pages ask which one.
                request.choose_district = True
            elif actor is None:
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


NUL = "\x00"
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
NUL_MESSAGE = "A null character is not allowed here."
NUL_PAGE = (
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Bad request</title></head>'
    "<body><h1>Bad request</h1><p>The address or the form held a null character, which is not "
    "allowed. Check the link or what was sent, and try again.</p></body></html>"
)


def _strings(value):
    """Every string in a parsed JSON value, keys included."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _nul_field(request) -> str | None:
    """Where the request holds a NUL: "path", a parameter's name, or None.

    PostgreSQL refuses NUL in text (and in jsonb), so one such character anywhere a view might
    query with would be a 500. Uploaded files are not read (binary files hold NULs; Django
    drops unprintable characters from their names).
    """
    if NUL in request.path_info:
        return "path"
    for key, values in request.GET.lists():
        if NUL in key or any(NUL in v for v in values):
            return key.replace(NUL, "") or "query"
    if NUL in request.META.get("HTTP_AUTHORIZATION", ""):
        return "authorization"  # an API token, looked up as given
    # Django unquotes cookies, so an octal escape in one yields a NUL (the session key).
    for key, value in request.COOKIES.items():
        if NUL in key or NUL in value:
            return "cookie"
    content_type = request.content_type or ""
    try:
        if request.method == "POST" and content_type in FORM_TYPES:
            data = request.POST
        elif content_type == "application/x-www-form-urlencoded":
            data = QueryDict(request.body, encoding=request.encoding)
        elif content_type == "multipart/form-data":
            data = _multipart(request)
        elif content_type == "application/json" or content_type.endswith("+json"):
            try:
                body = json.loads(request.body or b"null")
            except ValueError:
                return None  # the API answers malformed JSON itself
            return "body" if any(NUL in s for s in _strings(body)) else None
        else:
            return None
    except (RequestDataTooBig, MultiPartParserError, UnicodeDecodeError):
        return None  # refused (or not) where it is read, as before
    for key, values in data.lists():
        if NUL in key or any(NUL in v for v in values):
            return key.replace(NUL, "") or "body"
    return None


def _multipart(request):
    """A PUT or PATCH multipart body's fields, parsed from a copy, so the view (DRF) can still
    read the body itself."""
    handlers = [uploadhandler.load_handler(h, request) for h in settings.FILE_UPLOAD_HANDLERS]
    parser = MultiPartParser(request.META, BytesIO(request.body), handlers, request.encoding)
    data, files = parser.parse()
    for _, uploads in files.lists():
        for upload in uploads:
            upload.close()
    return data


class RefuseNulMiddleware:
    """Answers 400 to any request with a NUL character in its path, query, cookies or body
    fields, before any view, session lookup or serializer can hand it to the database."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        field = _nul_field(request)
        if field is None:
            return self.get_response(request)
        if request.path_info.startswith("/api/"):
            response = JsonResponse(
                {
                    "code": "invalid",
                    "detail": "Some fields are invalid.",
                    "errors": {field: [NUL_MESSAGE]},
                },
                status=400,
            )
        else:
            response = HttpResponseBadRequest(NUL_PAGE)
        # This answer leaves before the CSP middleware can add its header.
        response["Content-Security-Policy"] = "default-src 'none'; frame-ancestors 'none'"
        return response

"""The OpenAPI description every API view shares: the refusals any operation can answer.

Each view documents its own success answer; the error answers come from the same few places for
every view (authentication, access, validation, throttling, cadre.core.drf.exception_handler),
so they are documented here once rather than on each view.
"""

from drf_spectacular import openapi
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers


class Error(serializers.Serializer):
    """What a refused request answers: a short stable code and a human message."""

    code = serializers.CharField()
    detail = serializers.CharField()
    field = serializers.CharField(
        required=False, help_text="The field a domain rule refused, when it is one field."
    )
    errors = serializers.JSONField(
        required=False,
        help_text="Bad input only: the messages for each field that is wrong.",
    )


REFUSED = {
    400: "Bad input, or a step the record's rules refuse (see `code`).",
    401: "No valid token or session, or no active staff record.",
    403: "Visible, but your role may not do this.",
    404: "No such record, or outside your district or scope; also a page past the last.",
    429: "Too many requests: try again shortly.",
}
CONFLICT = {409: "The record's current state does not allow this step."}
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


class AutoSchema(openapi.AutoSchema):
    def _get_paginator(self):
        # Only reads page; a list that an action answers to a POST (the stipends a match
        # proposes) is the whole list, not a page of it.
        return super()._get_paginator() if self.method == "GET" else None

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        refused = {**REFUSED, **(CONFLICT if self.method in UNSAFE else {})}
        for status, description in refused.items():
            if str(status) not in responses:  # a view's own description of it stands
                answer = OpenApiResponse(response=Error, description=description)
                responses[str(status)] = self._get_response_for_code(
                    answer, str(status), direction=direction
                )
        return responses


class OneObjectSchema(AutoSchema):
    """For a viewset whose `list` answers one object (the caller's own report), which
    drf-spectacular would otherwise describe as an array."""

    def _is_list_view(self, serializer=None) -> bool:
        return False

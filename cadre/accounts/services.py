from django.db import transaction
from rest_framework.authtoken.models import Token

from cadre.core import trail


@transaction.atomic
def token_rotate(*, user, staff) -> Token:
    """`staff`: the person's record in the district they act in, where the audit event goes
    (one token serves every district of the login)."""
    Token.objects.filter(user=user).delete()
    token = Token.objects.create(user=user)
    trail.record(
        district=staff.district,
        actor=user,
        action=trail.Action.CREATE,
        obj=staff,
        comment="Created a new API token (any earlier token was revoked).",
    )
    return token


@transaction.atomic
def token_revoke(*, user, staff) -> None:
    deleted, _ = Token.objects.filter(user=user).delete()
    if deleted:
        trail.record(
            district=staff.district,
            actor=user,
            action=trail.Action.DELETE,
            obj=staff,
            comment="Revoked the API token.",
        )

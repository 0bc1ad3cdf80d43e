from django.db import transaction
from rest_framework.authtoken.models import Token

from cadre.audit.models import AuditEvent
from cadre.audit.services import audit_event


def _staff(user):
    return user.staff


@transaction.atomic
def token_rotate(*, user) -> Token:
    Token.objects.filter(user=user).delete()
    token = Token.objects.create(user=user)
    staff = _staff(user)
    audit_event(
        district=staff.district,
        actor=user,
        action=AuditEvent.Action.CREATE,
        obj=staff,
        comment="Created a new API token (any earlier token was revoked).",
    )
    return token


@transaction.atomic
def token_revoke(*, user) -> None:
    deleted, _ = Token.objects.filter(user=user).delete()
    if deleted:
        staff = _staff(user)
        audit_event(
            district=staff.district,
            actor=user,
            action=AuditEvent.Action.DELETE,
            obj=staff,
            comment="Revoked the API token.",
        )

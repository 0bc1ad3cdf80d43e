from allauth.account.auth_backends import AuthenticationBackend
from django_scopes import scopes_disabled


class StaffBackend(AuthenticationBackend):
    """Only people with an active staff record may sign in."""

    def user_can_authenticate(self, user) -> bool:
        if not super().user_can_authenticate(user):
            return False
        from cadre.districts.models import Staff

        with scopes_disabled():
            return Staff.objects.filter(user=user, is_active=True).exists()

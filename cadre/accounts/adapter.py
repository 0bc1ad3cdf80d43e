from allauth.account.adapter import DefaultAccountAdapter


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

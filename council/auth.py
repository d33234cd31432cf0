"""Authentication backend: Django's ModelBackend, loading the portal profile with the user.

Every request asks for the user's role (`council.roles.role_of`), so the profile comes in the same
query as the user instead of a second one on every page.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class PortalBackend(ModelBackend):
    def get_user(self, user_id):
        model = get_user_model()
        try:
            user = model._default_manager.select_related("portal_profile").get(pk=user_id)
        except model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None

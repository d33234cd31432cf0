"""Authentication backend: Django's ModelBackend, loading the portal profile with the user, and
keeping the loaded user in the shared cache between requests.

Every request asks for the user's role (`council.roles.role_of`), so the profile comes in the same
query as the user instead of a second one on every page. With a cache every server shares (REDIS_URL:
`PORTAL_USER_CACHE_SECONDS` > 0) the user and the profile are read from it instead, so a request
that only reads costs no query for its login at all (the session is in the same cache, and
`council.sessions` reads the user's copy and generation in the same round trip as the session). Any
save or delete of a user or a profile gives the user a new generation token at once and again when the
change commits (`forget_user`); a cached copy is used only if it was read under the current token,
so a copy read from the database before the change committed — even one stored after both
forgets, by a request that was slow — is never served. A deactivation, a new password (the session's
auth hash), a new role or organisation holds on the very next request, on every server (a bulk
`update()` of users or profiles sends no signal: the portal makes none). Without a shared
cache (one server, each process its own memory) nothing is cached: a change made through one process
could not reach another's memory.
"""

import uuid

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache
from django.db import transaction

from council import sessions


def user_cache_seconds() -> int:
    return int(getattr(settings, "PORTAL_USER_CACHE_SECONDS", 0))


def user_key(user_id) -> str:
    return f"portal-user:{user_id}"


def generation_key(user_id) -> str:
    return f"portal-user-generation:{user_id}"


def user_cache_keys(user_id) -> list[str]:
    """The user's cached copy and its generation token, read together (with the session when its
    user is known: `council.sessions`)."""
    return [user_key(user_id), generation_key(user_id)]


class PortalBackend(ModelBackend):
    def get_user(self, user_id):
        seconds = user_cache_seconds()
        if not seconds:
            return self._usable(self.read_user(user_id))
        # the copy and the current generation in one round trip (the session's, where it read them);
        # the generation is read before the database, so a copy read there is stored under the
        # generation it may be trusted for
        keys = user_cache_keys(user_id)
        found = sessions.prefetched(keys)
        if found is None:
            found = cache.get_many(keys)
        generation = found.get(generation_key(user_id))
        cached = found.get(user_key(user_id))
        if cached is not None and cached[0] == generation:
            return self._usable(cached[1])
        user = self.read_user(user_id)
        if user is not None:
            # only what was read from the database: no permission or organisation caches
            cache.set(user_key(user_id), (generation, user), seconds)
        return self._usable(user)

    def read_user(self, user_id):
        model = get_user_model()
        try:
            return model._default_manager.select_related("portal_profile").get(pk=user_id)
        except model.DoesNotExist:
            return None

    def _usable(self, user):
        return user if user is not None and self.user_can_authenticate(user) else None


def forget_user(sender, instance, **kwargs) -> None:
    """A user whose row or profile is saved or deleted gets a new generation token: now, and once the
    change commits, so no copy read before the commit is trusted afterwards. Groups and permissions
    are not part of the cached copy (Django reads them when asked)."""
    if not user_cache_seconds():
        return
    key = generation_key(instance.user_id if hasattr(instance, "user_id") else instance.pk)
    cache.set(key, uuid.uuid4().hex, None)
    transaction.on_commit(lambda: cache.set(key, uuid.uuid4().hex, None))


def connect_signals() -> None:
    from django.db.models.signals import post_delete, post_save

    from council.models import Profile

    for model in (get_user_model(), Profile):
        post_save.connect(forget_user, sender=model, dispatch_uid=f"forget-user-{model.__name__}")
        post_delete.connect(forget_user, sender=model, dispatch_uid=f"forget-user-deleted-{model.__name__}")

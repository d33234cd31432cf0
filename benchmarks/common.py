"""What the benchmark scripts share."""


def import_staff(username: str):
    """A prefecture staff member with national scope, who may import for every organisation."""
    from django.contrib.auth import get_user_model

    from council.models import Profile, Role

    user, created = get_user_model().objects.get_or_create(username=username, defaults={"is_staff": True})
    if created:
        Profile.objects.create(user=user, role=Role.STAFF)
    return user

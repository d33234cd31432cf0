"""Who a user is in the portal. Every permission decision starts from `role_of`."""

from council.models.profile import Role

__all__ = ["STAFF_GROUP", "Role", "council_of", "ensure_staff_group", "role_of"]

STAFF_GROUP = "県担当者"
PROJECT_APPS = ("council", "standardization", "online_procedures", "mynumber", "rpa", "analog_review")


def role_of(user) -> Role | None:
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    if user.is_superuser:
        return Role.STAFF
    profile = getattr(user, "portal_profile", None)
    return Role(profile.role) if profile else None


def council_of(user) -> int | None:
    """The pk of the prefecture whose council the user belongs to: the prefecture they are bound
    to, or the prefecture of their municipality (a liaison, a council member from a city). None for
    a national viewer (a superuser, or a profile bound to no organisation), who sees every council.
    Only for a user with a role (`role_of` is not None)."""
    if user.is_superuser:
        return None
    organisation = user.portal_profile.organisation
    if organisation is None:
        return None
    return organisation.prefecture_id or organisation.pk


def ensure_staff_group(**kwargs):
    """The prefecture staff's admin group: every permission on the portal's own data. Kept in step
    with the models after each migrate; add a staff user to it in the admin."""
    from django.contrib.auth.models import Group, Permission

    group, _ = Group.objects.get_or_create(name=STAFF_GROUP)
    group.permissions.set(Permission.objects.filter(content_type__app_label__in=PROJECT_APPS))
    return group

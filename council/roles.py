"""Who a user is in the portal. Every permission decision starts from `role_of`."""

from council.models.profile import Role

__all__ = ["Role", "role_of", "is_staff", "is_liaison", "is_member", "liaison_organisation_id"]


def role_of(user) -> Role | None:
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    if user.is_superuser:
        return Role.STAFF
    profile = getattr(user, "portal_profile", None)
    return Role(profile.role) if profile else None


def is_staff(user) -> bool:
    return role_of(user) == Role.STAFF


def is_liaison(user) -> bool:
    return role_of(user) == Role.LIAISON


def is_member(user) -> bool:
    return role_of(user) == Role.MEMBER


def liaison_organisation_id(user) -> int | None:
    return user.portal_profile.organisation_id if is_liaison(user) else None

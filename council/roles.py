"""Who a user is in the portal. Every permission decision starts from `role_of`."""

from council.models.profile import Role

__all__ = [
    "GRANT_STAFF",
    "NATIONAL_SCOPE",
    "STAFF_GROUP",
    "Role",
    "council_of",
    "ensure_staff_group",
    "grant_errors",
    "role_of",
]

STAFF_GROUP = "県担当者"
# staff manage their prefecture's accounts in the user admin (scoped there); nobody but a superuser
# deletes an account: deactivating keeps who did what in the history
USER_PERMISSIONS = ("view_user", "add_user", "change_user")

GRANT_STAFF = "県職員の役割を付与できるのは管理者（スーパーユーザー）だけです。"
NATIONAL_SCOPE = (
    "所属団体を空欄（全国のすべての団体を閲覧できる範囲）にできるのは管理者（スーパーユーザー）だけです。"
    "所属団体を選んでください。"
)


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


def grant_errors(editor, *, role, organisation_id, before=None) -> dict[str, str]:
    """Why `editor` may not give an account `role` bound to `organisation_id` (field → message; empty
    when they may). `before` is the profile as it was, for a change: what it already had is kept.
    A superuser may grant anything; anyone else may not widen a scope: not grant the staff role, not
    leave the organisation empty (national scope). Whether the organisation is in the editor's scope
    is for the form or import to check, against `Municipality.objects.for_user(editor)`."""
    if editor is not None and editor.is_superuser:
        return {}
    errors = {}
    if role == Role.STAFF and (before is None or before.role != Role.STAFF):
        errors["role"] = GRANT_STAFF
    if organisation_id is None and (before is None or before.organisation_id is not None):
        errors["organisation"] = NATIONAL_SCOPE
    return errors


def project_apps() -> list[str]:
    """The Django apps holding the portal's own data: the core and every registered agenda app (an
    app that registers gets its staff permissions without being listed again; 資料7's package
    `council.dx` is the `council` app)."""
    from council.framework import registry

    return sorted({"council", *(app.package.split(".")[0] for app in registry.apps.all())})


def ensure_staff_group(**kwargs):
    """The prefecture staff's admin group: every permission on the portal's own data, and on the
    accounts (the user admin scopes them to the staff member's prefecture). Kept in step with the
    models after each migrate; add a staff user to it in the admin."""
    from django.contrib.auth.models import Group, Permission
    from django.db.models import Q

    group, _ = Group.objects.get_or_create(name=STAFF_GROUP)
    group.permissions.set(
        Permission.objects.filter(
            Q(content_type__app_label__in=project_apps())
            | Q(content_type__app_label="auth", content_type__model="user", codename__in=USER_PERMISSIONS)
        )
    )
    return group

from functools import cache

from django.urls import reverse
from django.utils.html import format_html_join
from django.utils.safestring import SafeString

from council.framework import registry
from council.roles import Role, role_of


@cache
def navigation(role: Role | None, admin: bool) -> tuple[tuple[str, str], ...]:
    """The main menu of a role: (url, label) pairs, reversed once per process (every page shows it;
    the portal is served from one script prefix)."""
    links = [(reverse("home"), "トップ"), (reverse("notices:list"), "お知らせ")]
    if role in (Role.STAFF, Role.LIAISON):
        links.append((reverse("reports:list"), "状況報告"))
    if role == Role.STAFF:
        links += [(reverse("reports:review"), "確認待ち"), (reverse("reports:completeness"), "提出状況")]
    links.append((reverse("council:meetings"), "会議"))
    if role:
        links += [(reverse(d.url_name), f"{d.material} {d.title}") for d in registry.dashboards.all()]
    if role == Role.STAFF and admin:
        links.append((reverse("admin:auth_user_changelist"), "アカウント"))
    if admin:
        links.append((reverse("admin:index"), "管理画面"))
    return tuple(links)


@cache
def menu_items(role: Role | None, admin: bool) -> SafeString:
    """The main menu's items as HTML, built once per process and role: every page shows the menu, and
    drawing it item by item in the template was about a fifth of a cached dashboard's request
    (benchmarks/request_cost.py)."""
    return format_html_join("", '<li><a href="{}">{}</a></li>', navigation(role, admin))


@cache
def links() -> dict[str, str]:
    """The frame's own links (the top page, the password change, the logout), reversed once per process."""
    return {name: reverse(name) for name in ("home", "password_change", "logout", "login")}


def organisation_of(user):
    """The organisation shown beside a liaison's name in the header (others: none)."""
    return user.portal_profile.organisation if role_of(user) == Role.LIAISON else None


def portal(request):
    user = getattr(request, "user", None)
    role = role_of(user)
    logged_in = user is not None and user.is_authenticated
    return {
        "portal_role": role,
        "portal_is_staff": role == Role.STAFF,
        "portal_is_liaison": role == Role.LIAISON,
        "portal_menu": menu_items(role, user.is_staff) if logged_in else "",
        "portal_links": links(),
        "portal_organisation": organisation_of(user),
    }

from council import registry
from council.roles import Role, role_of


def portal(request):
    role = role_of(getattr(request, "user", None))
    return {
        "portal_role": role,
        "portal_is_staff": role == Role.STAFF,
        "portal_is_liaison": role == Role.LIAISON,
        "portal_dashboards": registry.dashboards.all() if role else [],
        "portal_organisation": request.user.portal_profile.organisation if role == Role.LIAISON else None,
    }

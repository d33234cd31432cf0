"""Shared view plumbing: role gates and scoped lookups. A page the role may not see is a 404."""

from django.http import Http404
from django.shortcuts import get_object_or_404

from council.models import StatusReport
from council.roles import Role, role_of


class RoleRequiredMixin:
    """Answer 404 unless the user has one of `allowed_roles` (anonymous users never get here:
    the login-required middleware sends them to the login page), then `load_objects`."""

    allowed_roles: tuple[Role, ...] = (Role.STAFF,)

    def dispatch(self, request, *args, **kwargs):
        self.role = role_of(request.user)
        if self.role not in self.allowed_roles:
            raise Http404("このページはありません。")
        self.load_objects(request, *args, **kwargs)
        return super().dispatch(request, *args, **kwargs)

    def load_objects(self, request, *args, **kwargs):
        """Fetch what the URL names, from the user's scope only (a hook for subclasses)."""


class ReportMixin(RoleRequiredMixin):
    """Loads `self.report` from the user's scope: another organisation's report is a 404."""

    allowed_roles = (Role.STAFF, Role.LIAISON)

    def load_objects(self, request, *args, **kwargs):
        self.report = get_object_or_404(
            StatusReport.objects.for_user(request.user).select_related("municipality", "period"),
            pk=kwargs["pk"],
        )

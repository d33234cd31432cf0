from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView

from council import selectors
from council.framework import registry
from council.models import Notice, ReportingPeriod, StatusReport
from council.roles import Role, role_of


@login_not_required
@never_cache
def healthz(request):
    """For the load balancer and docker compose: the app is up and reaches its database."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


class HomeView(TemplateView):
    """The top page: each role sees what it needs first."""

    template_name = "council/home.html"
    notices_shown = 5  # the newest unread notices; the rest on the notices page

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        role = role_of(user)
        context["role"] = role
        context["dashboards"] = registry.dashboards.all()
        unread = Notice.objects.for_user(user).unread()
        context["unread_notices"] = list(unread[: self.notices_shown])
        context["unread_count"] = (
            unread.count()
            if len(context["unread_notices"]) == self.notices_shown
            else len(context["unread_notices"])
        )
        context["unread_rest"] = context["unread_count"] - len(context["unread_notices"])
        accepting = list(ReportingPeriod.objects.accepting().order_by("-fiscal_year", "-quarter"))
        if role == Role.STAFF:
            context["queue"] = list(selectors.review_queue(user=user)[:20])
            period = (
                accepting[0]
                if accepting
                else ReportingPeriod.objects.order_by("fiscal_year", "quarter").last()
            )
            if period:
                rows = selectors.completeness(period=period, user=user)
                context["completeness_period"] = period
                context["completeness"] = selectors.completeness_summary(rows)
        elif role == Role.LIAISON:
            organisation = user.portal_profile.organisation
            reports = {
                r.period_id: r
                for r in StatusReport.objects.for_user(user)
                .filter(period__in=accepting)
                .select_related("period")
            }
            context["organisation"] = organisation
            context["due"] = [(period, reports.get(period.pk)) for period in accepting]
            context["recent"] = list(selectors.reports_for_user(user=user).exclude(period__in=accepting)[:8])
        return context


def ping(request):
    """A trivial authenticated view behind the same middleware as every page: the throughput
    benchmark's baseline."""
    from django.http import HttpResponse

    return HttpResponse("ok", content_type="text/plain")


@login_not_required  # answers 401 itself rather than sending a script to the login page
@never_cache
@require_POST
def session_extend(request):
    """The 「ログインを延長する」 button of a data-entry page: saving the session moves its expiry
    (SESSION_COOKIE_AGE from now). CSRF-checked like any POST."""
    if not request.user.is_authenticated:
        return JsonResponse({"expired": True}, status=401)
    request.session.modified = True
    return JsonResponse({"expires_in": request.session.get_expiry_age()})

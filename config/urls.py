from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from council.views.portal import HomeView, healthz, ping, session_extend

admin.site.site_header = "山口県デジタル・ガバメント構築連携会議 管理"
admin.site.site_title = "連携会議ポータル 管理"
admin.site.index_title = "データ管理"

urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    path("healthz", healthz, name="healthz"),
    path("ping", ping, name="ping"),
    path("session/extend/", session_extend, name="session_extend"),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/", include("council.accounts.urls")),
    path("admin/", admin.site.urls),
    path("reports/", include("council.urls_reports")),
    path("notices/", include("council.urls_notices")),
    path("council/", include("council.urls")),
    path("standardization/", include("standardization.urls")),
    path("online-procedures/", include("online_procedures.urls")),
    path("mynumber/", include("mynumber.urls")),
    path("rpa/", include("rpa.urls")),
    path("analog-review/", include("analog_review.urls")),
    path("programmes/", include("programmes.urls")),
]

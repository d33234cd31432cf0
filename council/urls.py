from django.urls import path

from council.views import dashboards

app_name = "council"

urlpatterns = [
    path("", dashboards.DXDashboardView.as_view(), name="dashboard"),
    path("export.xlsx", dashboards.ExportView.as_view(app_label="council"), name="export"),
]

from django.urls import path

from council.views.dashboards import ExportView
from rpa import views

app_name = "rpa"

urlpatterns = [
    path("", views.RpaDashboardView.as_view(), name="dashboard"),
    path("export.xlsx", ExportView.as_view(app_label="rpa"), name="export"),
]

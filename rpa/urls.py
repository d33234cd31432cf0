from django.urls import path

from council.framework.views import ExportView
from rpa import views

app_name = "rpa"

urlpatterns = [
    path("", views.RpaDashboardView.as_view(), name="dashboard"),
    path("export.xlsx", ExportView.as_view(app_key="rpa"), name="export"),
]

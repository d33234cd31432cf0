from django.urls import path

from council.views.dashboards import ExportView
from mynumber import views

app_name = "mynumber"

urlpatterns = [
    path("", views.MynumberDashboardView.as_view(), name="dashboard"),
    path("export.xlsx", ExportView.as_view(app_label="mynumber"), name="export"),
    path("import/", views.MynumberImportView.as_view(), name="import"),
]

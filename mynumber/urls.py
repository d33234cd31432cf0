from django.urls import path

from council.framework.views import ExportView
from mynumber import views

app_name = "mynumber"

urlpatterns = [
    path("", views.MynumberDashboardView.as_view(), name="dashboard"),
    path("export.xlsx", ExportView.as_view(app_key="mynumber"), name="export"),
    path("import/", views.MynumberImportView.as_view(), name="import"),
]

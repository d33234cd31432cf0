from django.urls import path

from council.framework.views import ExportView
from standardization import views

app_name = "standardization"

urlpatterns = [
    path("", views.StandardizationDashboardView.as_view(), name="dashboard"),
    path("export.xlsx", ExportView.as_view(app_key="standardization"), name="export"),
    path("import/", views.StandardizationImportView.as_view(), name="import"),
    path("<slug:slug>/", views.KarteView.as_view(), name="karte"),
]

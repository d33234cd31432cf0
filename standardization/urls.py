from django.urls import path

from council.framework.views import ExportView
from standardization import grid, views

app_name = "standardization"

urlpatterns = [
    path("", views.StandardizationDashboardView.as_view(), name="dashboard"),
    path("export.xlsx", ExportView.as_view(app_key="standardization"), name="export"),
    path("import/", views.StandardizationImportView.as_view(), name="import"),
    path("references/import/", grid.ReferenceImportView.as_view(), name="reference_import"),
    path("reports/<int:pk>/grid/", grid.GridView.as_view(), name="grid"),
    path("reports/<int:pk>/grid/import/", grid.GridImportView.as_view(), name="grid_import"),
    path("<slug:slug>/", views.KarteView.as_view(), name="karte"),
]

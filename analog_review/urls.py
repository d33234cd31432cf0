from django.urls import path

from analog_review import views
from council.framework.views import ExportView

app_name = "analog_review"

urlpatterns = [
    path("", views.AnalogDashboardView.as_view(), name="dashboard"),
    path("export.xlsx", ExportView.as_view(app_key="analog_review"), name="export"),
    path("inventory/", views.InventoryView.as_view(), name="inventory"),
    path("inventory.xlsx", views.InventoryDownloadView.as_view(), name="inventory_download"),
    path("inventory-template.xlsx", views.InventoryTemplateView.as_view(), name="inventory_template"),
    path("inventory/import/", views.InventoryImportView.as_view(), name="import"),
]

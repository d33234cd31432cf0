from django.urls import path

from council.framework.views import ExportView
from online_procedures import views

app_name = "online_procedures"

urlpatterns = [
    path("", views.OnlineDashboardView.as_view(), name="dashboard"),
    path("export.xlsx", ExportView.as_view(app_key="online_procedures"), name="export"),
    path("import/", views.OnlineImportView.as_view(), name="import"),
]

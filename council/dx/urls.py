from django.urls import path

from council.dx import views
from council.framework.views import ExportView

urlpatterns = [
    path("", views.DXDashboardView.as_view(), name="dashboard"),
    path("export.xlsx", ExportView.as_view(app_key="dx"), name="export"),
]

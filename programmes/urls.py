from django.urls import path

from council.framework.views import ExportView
from programmes import views

app_name = "programmes"

urlpatterns = [
    path("", views.ProgrammesDashboardView.as_view(), name="dashboard"),
    path("export.xlsx", ExportView.as_view(app_key="programmes"), name="export"),
    path("offers/<int:pk>/", views.OfferView.as_view(), name="offer"),
]

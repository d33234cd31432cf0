from django.urls import path
from django.views.generic import RedirectView

from council.views import reports

app_name = "reports"

urlpatterns = [
    path("", reports.ReportListView.as_view(), name="list"),
    path("review/", reports.ReviewQueueView.as_view(), name="review"),
    path("completeness/", reports.CompletenessView.as_view(), name="completeness"),
    path("start/<str:period_slug>/", reports.ReportStartView.as_view(), name="start"),
    path("<int:pk>/", reports.ReportDetailView.as_view(), name="detail"),
    path("<int:pk>/submit/", reports.ReportSubmitView.as_view(), name="submit"),
    path("<int:pk>/withdraw/", reports.ReportWithdrawView.as_view(), name="withdraw"),
    path("<int:pk>/comments/", reports.ReportCommentView.as_view(), name="comment"),
    path("<int:pk>/review/", reports.ReportReviewView.as_view(), name="review_report"),
    path("<int:pk>/approve/", reports.ReportApproveView.as_view(), name="approve"),
    path("<int:pk>/return/", reports.ReportReturnView.as_view(), name="return"),
    path("<int:pk>/reopen/", reports.ReportReopenView.as_view(), name="reopen"),
    path("<int:pk>/<slug:section>/", reports.SectionEditView.as_view(), name="section"),
]

#: section URLs from before each agenda app had one key (bookmarks and mails keep working)
FORMER_SECTION_KEYS = {
    "dx-structure": "dx",
    "online-procedures": "online_procedures",
    "analog-review": "analog_review",
}
urlpatterns = [
    path(f"<int:pk>/{old}/", RedirectView.as_view(url=f"/reports/%(pk)s/{new}/", permanent=True))
    for old, new in FORMER_SECTION_KEYS.items()
] + urlpatterns

from django.urls import path

from council.views import notices

app_name = "notices"

urlpatterns = [
    path("", notices.NoticeListView.as_view(), name="list"),
    path("read/", notices.NoticeReadView.as_view(), name="read_all"),
    path("<int:pk>/", notices.NoticeOpenView.as_view(), name="open"),
    path("<int:pk>/read/", notices.NoticeReadView.as_view(), name="read"),
]

"""`/council/`: the 資料7 dashboard and the meetings share the `council` URL namespace."""

from council.dx.urls import urlpatterns as dx_urlpatterns
from council.meetings.urls import urlpatterns as meeting_urlpatterns

app_name = "council"

urlpatterns = dx_urlpatterns + meeting_urlpatterns

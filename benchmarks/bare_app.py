"""A bare Django view (no middleware, no database, no session): the ceiling `request_cost.py`
measures the portal's `/ping` against, served by the same gunicorn configuration.

    gunicorn -c config/gunicorn.conf.py benchmarks.bare_app:application
"""

import os

os.environ["DJANGO_SETTINGS_MODULE"] = "benchmarks.bare_app"

from django.core.wsgi import get_wsgi_application  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.urls import path  # noqa: E402

SECRET_KEY = "bare-view-benchmark-only"
DEBUG = False
ALLOWED_HOSTS = ["*"]
INSTALLED_APPS: list[str] = []
MIDDLEWARE: list[str] = []
ROOT_URLCONF = "benchmarks.bare_app"
USE_TZ = True


def bare(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("ping", bare)]

application = get_wsgi_application()

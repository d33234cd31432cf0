"""A database connection dropped between requests (a PostgreSQL restart, a failover, an idle
timeout of a proxy) costs no request: the next request finds the connection dead and opens a new one.

The requests go through `WSGIHandler`, as gunicorn sends them: the test client skips the
`close_old_connections` that runs at the start of every real request, which is where the health
check happens.
"""

import pytest
from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection
from django.test import Client, RequestFactory

from council.models import Role
from tests.factories import PrefectureFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def wsgi_get(path: str, cookie: str) -> tuple[int, bytes]:
    """GET `path` the way the WSGI server does: the handler, then close() (request_finished)."""
    environ = RequestFactory()._base_environ(PATH_INFO=path, REQUEST_METHOD="GET", HTTP_COOKIE=cookie)
    statuses = []
    response = WSGIHandler()(environ, lambda status, headers: statuses.append(status))
    try:
        body = b"".join(response)
    finally:
        response.close()
    return int(statuses[0].split()[0]), body


def terminate(pid: int) -> None:
    """Kill the server process of a connection from another connection, as an administrator's
    pg_terminate_backend or a database restart would."""
    import psycopg

    db = connection.settings_dict
    with psycopg.connect(
        host=db["HOST"] or None,
        port=db["PORT"] or None,
        user=db["USER"] or None,
        password=db["PASSWORD"] or None,
        dbname=db["NAME"],
        autocommit=True,
    ) as admin:
        terminated = admin.execute("SELECT pg_terminate_backend(%s, 5000)", [pid]).fetchone()
        assert terminated == (True,)


def test_settings_check_persistent_connections_before_use():
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the embedded SQLite database is a file opened in the process: there is no connection to drop",
)
def test_a_dropped_connection_costs_no_request():
    assert settings.DATABASES["default"]["CONN_MAX_AGE"] > 0  # connections persist across requests
    user = UserFactory(username="member", role=Role.MEMBER, organisation=PrefectureFactory())
    client = Client()
    client.force_login(user)
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"

    assert wsgi_get("/ping", cookie) == (200, b"ok")
    pid = connection.connection.info.backend_pid  # the connection kept for the next request
    terminate(pid)

    assert wsgi_get("/ping", cookie) == (200, b"ok")
    assert connection.connection.info.backend_pid != pid

"""What a logged-in read costs on Redis, the several-server setup (REDIS_URL), counted as redis-py
commands (each one a round trip to Redis): `/ping` reads its session, its user and the data version
in one `MGET` (council.sessions); a dashboard this process served at the current data version costs
nothing more, one it has not served reads the page from Redis. And the redis-py client is built once
per process, not for every command (Django's backend did; benchmarks/request_cost.py)."""

import os
import uuid

import pytest
import redis
from django.core.cache import cache
from django.urls import reverse

from council.framework.cache import PAGES

REDIS_URL = os.environ.get("PORTAL_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


@pytest.fixture
def on_redis(settings):
    try:
        redis.Redis.from_url(REDIS_URL).ping()
    except redis.exceptions.ConnectionError as error:
        if os.environ.get("CI"):
            raise  # .ci/run starts Redis: in CI a missing Redis is a failure, not a skip
        pytest.skip(f"needs Redis at {REDIS_URL}: {error}")
    prefix = f"test-{uuid.uuid4().hex[:8]}"
    settings.CACHES = {
        "default": {"BACKEND": "council.redis_cache.RedisCache", "LOCATION": REDIS_URL, "KEY_PREFIX": prefix}
    }
    settings.SESSION_ENGINE = "council.sessions"
    settings.PORTAL_USER_CACHE_SECONDS = 300
    settings.DASHBOARD_VERSION_IN_CACHE = True
    settings.DASHBOARD_CACHE_SECONDS = 600
    yield
    cache.clear()


@pytest.fixture
def counted(monkeypatch):
    """The redis-py commands sent and the redis-py clients built while the test runs."""
    seen = {"commands": [], "clients": 0}
    execute, init = redis.Redis.execute_command, redis.Redis.__init__

    def counting_execute(self, *args, **options):
        seen["commands"].append(args[0])
        return execute(self, *args, **options)

    def counting_init(self, *args, **kwargs):
        seen["clients"] += 1
        init(self, *args, **kwargs)

    monkeypatch.setattr(redis.Redis, "execute_command", counting_execute)
    monkeypatch.setattr(redis.Redis, "__init__", counting_init)
    return seen


def commands_of(seen, fn) -> list[str]:
    before = len(seen["commands"])
    fn()
    return seen["commands"][before:]


def test_ping_reads_its_session_and_its_user(client, on_redis, counted, member, count_queries):
    client.force_login(member)
    assert client.get("/ping").content == b"ok"
    assert commands_of(counted, lambda: client.get("/ping")) == ["MGET"]
    assert count_queries(lambda: client.get("/ping")) == 0


def test_the_first_request_of_a_session_in_a_process_reads_its_user_apart(client, on_redis, counted, member):
    """A process learns whose a session is when it first reads it; until then the user is a read
    of its own (the session, then the user)."""
    from council import sessions

    client.force_login(member)
    client.get("/ping")  # the user's copy stored in Redis
    sessions.USER_HINTS.clear()  # another process: it has never read this session
    assert commands_of(counted, lambda: client.get("/ping")) == ["MGET", "MGET"]
    assert commands_of(counted, lambda: client.get("/ping")) == ["MGET"]


def test_a_cached_dashboard_adds_no_read_once_this_process_served_it(
    client, on_redis, counted, member, count_queries
):
    client.force_login(member)
    url = reverse("council:dashboard") + "?period=2022-Q4"
    assert "承認済みの報告 19／19団体" in client.get(url).content.decode()
    assert commands_of(counted, lambda: client.get(url)) == ["MGET"]  # kept by this process
    assert count_queries(lambda: client.get(url)) == 0
    assert "承認済みの報告 19／19団体" in client.get(url).content.decode()
    PAGES.clear()  # another process, which has not served it: the page from Redis
    assert commands_of(counted, lambda: client.get(url)) == ["MGET", "GET"]
    assert "承認済みの報告 19／19団体" in client.get(url).content.decode()


def test_the_client_is_built_once_per_process(client, on_redis, counted, member):
    client.force_login(member)
    for _ in range(20):
        client.get("/ping")
        client.get(reverse("council:dashboard"))
    assert len(counted["commands"]) > 40
    assert counted["clients"] <= 1  # the pool's client, built on the first command


def test_keys_are_not_held_to_memcacheds_rules(on_redis, recwarn):
    """Redis takes any key: no walk over its characters for memcached's warnings on every read."""
    key = "dash-page:" + "x" * 300 + " with a space"
    cache.set(key, "page")
    assert cache.get_many([key]) == {key: "page"}
    assert not [warning for warning in recwarn if "memcached" in str(warning.message)]

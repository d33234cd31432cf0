"""Django's Redis cache backend, with one redis-py client per connection pool instead of one per call.

Django's `RedisCacheClient.get_client()` builds a new `redis.Redis` for every cache operation. The
pool (the connections) is shared, but building the client fills its table of about 170 response
callbacks each time: in a profile of the portal's `/ping` with Redis, that was a quarter of the
request (two cache reads, each ~0.17 ms of dictionary filling; benchmarks/request_cost.py --profile).
redis-py's client is safe to share between threads (it takes a connection from the pool for each
command), so each process keeps one per pool. And keys are not checked against memcached's rules
(at most 250 characters, no spaces or control characters: Django warns of keys that would not
carry over to memcached, walking every character of every key in Python on each read; Redis takes
any key). Everything else is Django's backend unchanged."""

from django.core.cache.backends import redis as django_redis


class RedisCacheClient(django_redis.RedisCacheClient):
    def __init__(self, servers, **options):
        super().__init__(servers, **options)
        self._clients: dict[int, object] = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            pool = self._get_connection_pool(write)
            client = self._clients.setdefault(index, self._client(connection_pool=pool))
        return client


class RedisCache(django_redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient

    def make_and_validate_key(self, key, version=None):
        return self.make_key(key, version=version)

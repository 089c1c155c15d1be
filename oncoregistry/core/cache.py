"""A Redis cache that degrades to "no cache" while Redis is unreachable.

The cache only speeds things up (throttle counters, cached fragments): when Redis is
down, pages and the API must keep answering from the database. A failed call is answered
as a miss; the next call tries Redis again, so the cache resumes by itself when Redis
returns. The outage is logged once when it starts (caching and API throttling are off
meanwhile) and once when it ends, not per request; ``redis_available()`` tells callers
(the statistics trigger) that a miss means "down", not "absent".
"""

import logging
import threading

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)
UNAVAILABLE = (RedisConnectionError, RedisTimeoutError, OSError)
_outage = {"down": False}
_outage_lock = threading.Lock()


def redis_available():
    """False from a failed cache call until the next one that succeeds."""
    return not _outage["down"]


def _degrade(operation, fallback):
    with _outage_lock:
        started, _outage["down"] = not _outage["down"], True
    if started:
        logger.error(
            "Redis is unreachable (cache %s failed): pages answer without the cache and API "
            "throttling is OFF until it answers again.",
            operation,
        )
    return fallback


def _answered(result):
    if _outage["down"]:
        with _outage_lock:
            ended, _outage["down"] = _outage["down"], False
        if ended:
            logger.warning("Redis answers again: the cache and API throttling are back on.")
    return result


class ResilientRedisCache(RedisCache):
    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return _answered(super().add(key, value, timeout, version))
        except UNAVAILABLE:
            return _degrade("add", False)

    def get(self, key, default=None, version=None):
        try:
            return _answered(super().get(key, default, version))
        except UNAVAILABLE:
            return _degrade("get", default)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return _answered(super().set(key, value, timeout, version))
        except UNAVAILABLE:
            return _degrade("set", None)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return _answered(super().touch(key, timeout, version))
        except UNAVAILABLE:
            return _degrade("touch", False)

    def delete(self, key, version=None):
        try:
            return _answered(super().delete(key, version))
        except UNAVAILABLE:
            return _degrade("delete", False)

    def get_many(self, keys, version=None):
        try:
            return _answered(super().get_many(keys, version))
        except UNAVAILABLE:
            return _degrade("get_many", {})

    def has_key(self, key, version=None):
        try:
            return _answered(super().has_key(key, version))
        except UNAVAILABLE:
            return _degrade("has_key", False)

    def incr(self, key, delta=1, version=None):
        try:
            return _answered(super().incr(key, delta, version))
        except UNAVAILABLE:
            return _degrade("incr", delta)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return _answered(super().set_many(data, timeout, version))
        except UNAVAILABLE:
            return _degrade("set_many", [])

    def delete_many(self, keys, version=None):
        try:
            return _answered(super().delete_many(keys, version))
        except UNAVAILABLE:
            return _degrade("delete_many", None)

    def clear(self):
        try:
            return _answered(super().clear())
        except UNAVAILABLE:
            return _degrade("clear", False)

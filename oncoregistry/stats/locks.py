"""One refresh at a time: a lock in the Django cache (Redis when ``REDIS_URL`` is set).

``cache.add`` sets the key only when it is absent, atomically in Redis, so exactly one
caller holds the lock. The lock carries a random token and expires after the task's hard
time limit, so a killed worker cannot hold it for ever; release deletes the key only if
it still holds our token (on Redis in one atomic script), never a lock taken over by
another worker after ours expired.
"""

import contextlib
import logging
import uuid

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

LOCK_KEY = "stats:refresh-lock"
RELEASE_SCRIPT = """
if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end
return 0
"""


def lock_timeout():
    return settings.CELERY_TASK_TIME_LIMIT + 60


def _release(token):
    backend = caches["default"]
    if not isinstance(backend, RedisCache):
        if backend.get(LOCK_KEY) == token:
            backend.delete(LOCK_KEY)
        return
    key = backend.make_and_validate_key(LOCK_KEY)
    try:
        client = backend._cache.get_client(key, write=True)
        # Django's Redis backend pickles values: compare with the bytes it stored.
        client.eval(RELEASE_SCRIPT, 1, key, backend._cache._serializer.dumps(token))
    except (RedisError, OSError):
        logger.warning("Could not release the statistics lock; it expires by itself.")


@contextlib.contextmanager
def refresh_lock():
    """Yield True while holding the refresh lock, or False (without waiting) when another
    refresh holds it."""
    token = uuid.uuid4().hex
    acquired = cache.add(LOCK_KEY, token, timeout=lock_timeout())
    try:
        yield acquired
    finally:
        if acquired:
            _release(token)

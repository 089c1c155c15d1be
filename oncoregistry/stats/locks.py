"""One refresh at a time, by a lock that dies with the process holding it.

* PostgreSQL: a session-level advisory lock (``pg_try_advisory_lock``) taken on the
  refresh's own database connection. When the worker dies (SIGKILL, OOM, a lost host) its
  connection closes and the server releases the lock at once, so the next refresh is never
  skipped for a lock nobody holds. Advisory locks belong to one database, so two registries
  on one server do not block each other.
* Other databases (SQLite for ``make run``): an exclusive ``flock`` on a file named after
  the database; the kernel releases it when the process exits, however it exits.

Both are taken without waiting. An in-process lock comes first, because the same session
(or process) would otherwise be granted its own lock again.
"""

import contextlib
import fcntl
import hashlib
import logging
import os
import tempfile
import threading
from pathlib import Path

from django.db import DatabaseError, connections

logger = logging.getLogger(__name__)

LOCK_NAME = "oncoregistry:statistics-refresh"
#: The advisory lock's key: a signed 64-bit number derived from the name.
LOCK_ID = int.from_bytes(hashlib.sha256(LOCK_NAME.encode()).digest()[:8], "big", signed=True)
_in_process = threading.Lock()


def lock_file(connection):
    """The file whose ``flock`` is the lock on databases without advisory locks."""
    database = str(connection.settings_dict["NAME"])
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        # An in-memory database is its process's alone: parallel test workers, each with
        # their own under the same name, must not skip each other's refreshes.
        database += f":{os.getpid()}"
    name = hashlib.sha256(database.encode()).hexdigest()[:16]
    return Path(tempfile.gettempdir()) / f"oncoregistry-stats-refresh-{name}.lock"


@contextlib.contextmanager
def _advisory_lock(connection):
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [LOCK_ID])
        acquired = cursor.fetchone()[0]
    try:
        yield acquired
    finally:
        if acquired:
            try:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_unlock(%s)", [LOCK_ID])
            except DatabaseError:
                # The session is gone or unusable: the server releases the lock with it.
                logger.warning("Could not release the statistics lock; it ends with the session.")


@contextlib.contextmanager
def _file_lock(connection):
    with open(lock_file(connection), "a+b") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@contextlib.contextmanager
def refresh_lock(using="default"):
    """Yield True while holding the refresh lock, or False (without waiting) when another
    refresh holds it."""
    if not _in_process.acquire(blocking=False):
        yield False
        return
    try:
        connection = connections[using]
        locked = _advisory_lock if connection.vendor == "postgresql" else _file_lock
        with locked(connection) as acquired:
            yield acquired
    finally:
        _in_process.release()


def refresh_running(using="default"):
    """Whether a refresh holds the lock now (in this process or any other)."""
    with refresh_lock(using) as acquired:
        return not acquired

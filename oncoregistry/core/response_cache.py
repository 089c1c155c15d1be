"""Whole responses cached under the registry's version.

The registry is read far more often than it is written. Every committed registry write
bumps one number, the *registry version* (``bump_registry_version``, called by the write
hooks in ``oncoregistry.stats.triggers`` and after each statistics refresh); the version
is part of the key of every cached response and of its ETag, so a change gives new keys
and new ETags everywhere at once and nothing has to be invalidated.

``RegistryResponseCacheMiddleware`` serves anonymous GETs of the API and the public pages
(``RESPONSE_CACHE_PATHS``) from the cache without touching the database, and answers a
matching ``If-None-Match`` with 304. Signed-in users (session or token) bypass it, as do
other methods and paths. A streamed response (CSV) is stored once it has streamed whole
within ``RESPONSE_CACHE_MAX_BYTES``; a larger one just streams.

The version lives in the ``registry`` cache alias, which every process must share (Redis
in production, files under the embedded default), so that a write by any process, a
management command included, reaches every server's next answer. Responses live in the
``default`` cache (Redis, or each process's memory: an entry of an older version is never
read again).
"""

import functools
import hashlib
import math
import re
import time
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.db import DEFAULT_DB_ALIAS, transaction
from django.http import HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.utils import translation
from django.utils.cache import get_conditional_response
from rest_framework.exceptions import Throttled
from rest_framework.settings import api_settings

VERSION_KEY = "registry:version"
#: What a page's CSRF token is stored as; each answer gets the asker's own token.
CSRF_PLACEHOLDER = b"registry-cache-csrf-token"
CSRF_INPUT = re.compile(rb'(name="csrfmiddlewaretoken" value=")([^"]*)(")')
#: Headers a stored response keeps (the rest are added again by the outer middleware).
NOT_STORED = {"set-cookie", "date"}


def version_cache():
    # The "registry" alias, where every process reads it; a configuration without one (a
    # single process) keeps the version in the default cache.
    return caches["registry" if "registry" in settings.CACHES else "default"]


def registry_version():
    """The registry's current version (set afresh if the cache lost it)."""
    versions = version_cache()
    version = versions.get(VERSION_KEY)
    if version is None:
        # A lost version restarts from the clock, never from a number already used.
        versions.add(VERSION_KEY, time.time_ns(), timeout=None)
        version = versions.get(VERSION_KEY)
    return version


def bump_registry_version():
    versions = version_cache()
    try:
        return versions.incr(VERSION_KEY)
    except ValueError:  # no version yet (or it was lost)
        versions.set(VERSION_KEY, time.time_ns(), timeout=None)
        return versions.get(VERSION_KEY)


def registry_written(using=DEFAULT_DB_ALIAS):
    """A registry write: bump now (a read inside the same transaction sees it) and once
    more when the transaction commits (what other connections see from then on)."""
    bump_registry_version()
    connection = transaction.get_connection(using)
    if connection.in_atomic_block and any(
        callback is bump_registry_version for _sids, callback, *_rest in connection.run_on_commit
    ):
        return
    transaction.on_commit(bump_registry_version, using=using)


def cacheable_path(path):
    """The API and the public pages, in every language (``/ru/centers/`` as ``/centers/``)."""
    for code, _name in settings.LANGUAGES:
        if path.startswith(f"/{code}/"):
            path = path[len(code) + 1 :]
            break
    if path.startswith(tuple(settings.RESPONSE_CACHE_EXCLUDED)):
        return False
    return path == "/" or path.startswith(tuple(settings.RESPONSE_CACHE_PATHS))


def throttled(request):
    """The API's 429 for an answer the cache gives (a computed one is throttled by its
    view): cached answers count against the anonymous rate as any other."""
    if not request.path.startswith("/api/"):
        return None
    for throttle_class in api_settings.DEFAULT_THROTTLE_CLASSES:
        throttle = throttle_class()
        if not throttle.allow_request(request, None):
            wait = throttle.wait()
            refusal = Throttled(wait)
            response = JsonResponse({"detail": str(refusal.detail)}, status=refusal.status_code)
            if wait is not None:
                response["Retry-After"] = str(math.ceil(wait))
            return response
    return None


def signed_in(request):
    # A token (DRF) or a session; an anonymous request without a session cookie costs no query.
    return "HTTP_AUTHORIZATION" in request.META or (
        settings.SESSION_COOKIE_NAME in request.COOKIES and request.user.is_authenticated
    )


@functools.cache
def code_stamp():
    """What this deployment's code and templates are (names, sizes and times of its files):
    a deploy changes the answers without a registry write, so it changes every key too."""
    digest = hashlib.sha256()
    for folder in ("oncoregistry", "centers", "therapies", "partnerships", "templates", "locale"):
        for path in sorted(Path(settings.BASE_DIR, folder).rglob("*")):
            if path.suffix in {".py", ".html", ".mo"}:
                stat = path.stat()
                digest.update(f"{path}:{stat.st_size}:{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def response_key(request, version):
    """The cache key (and ETag) of this request's answer: the code, the version, the absolute
    URL (links in answers are absolute), the language and, for the API, the media types asked."""
    parts = [
        code_stamp(),
        str(version),
        request.build_absolute_uri(),
        translation.get_language() or "",
        request.headers.get("Accept", "") if request.path.startswith("/api/") else "",
    ]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


class RegistryResponseCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method != "GET" or not cacheable_path(request.path) or signed_in(request):
            return self.get_response(request)
        key = response_key(request, registry_version())
        etag = f'"{key[:32]}"'
        cache_key = f"response:{key}"
        # RESPONSE_CACHE_SECONDS=0 turns the cache off: every answer is computed (ETags stay).
        storing = settings.RESPONSE_CACHE_SECONDS > 0
        stored = caches["default"].get(cache_key) if storing else None
        answered_here = stored is not None or etag in request.headers.get("If-None-Match", "")
        if answered_here and (refusal := throttled(request)):
            return refusal
        if stored is not None:
            response = self.rebuild(request, stored)
        else:
            response = self.get_response(request)
            if response.status_code != 200 or response.cookies:
                return response
            if storing:
                self.store(response, cache_key)
        response["ETag"] = etag
        # 304 when If-None-Match names this ETag; the answer above is then not sent.
        return get_conditional_response(request, etag=etag, response=response) or response

    def store(self, response, cache_key):
        headers = [(k, v) for k, v in response.items() if k.lower() not in NOT_STORED]
        limit = settings.RESPONSE_CACHE_MAX_BYTES
        if not response.streaming:
            if len(response.content) <= limit:
                content = without_csrf_token(response.content)
                caches["default"].set(
                    cache_key,
                    (response.status_code, headers, content),
                    settings.RESPONSE_CACHE_SECONDS,
                )
            return

        def streamed(chunks):
            kept, size = [], 0
            for chunk in chunks:
                if kept is not None:
                    size += len(chunk)
                    if size <= limit:
                        kept.append(chunk)
                    else:
                        kept = None  # too large to keep: it only streams
                yield chunk
            if kept is not None:
                stored = (response.status_code, headers, b"".join(kept))
                caches["default"].set(cache_key, stored, settings.RESPONSE_CACHE_SECONDS)

        response.streaming_content = streamed(response.streaming_content)

    def rebuild(self, request, stored):
        status, headers, content = stored
        if CSRF_PLACEHOLDER in content:
            content = content.replace(CSRF_PLACEHOLDER, get_token(request).encode())
        response = HttpResponse(content, status=status)
        for header, value in headers:
            response[header] = value
        return response


def without_csrf_token(content):
    """A page's content with its CSRF token (the language form's) replaced by the
    placeholder: a token belongs to one visitor's cookie."""
    if b"csrfmiddlewaretoken" not in content:
        return content
    return CSRF_INPUT.sub(rb"\g<1>" + CSRF_PLACEHOLDER + rb"\g<3>", content)

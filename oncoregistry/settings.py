"""Oncoregistry settings: one module, configured from the environment.

``ONCOREGISTRY_ENV`` selects the defaults: ``local`` (``make run``), ``test``
(pytest) or ``production`` (anything else). Production has no default for
secrets, so a missing ``SECRET_KEY`` fails at start-up.
"""

import datetime
import tempfile
from pathlib import Path

import environ
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

ONCOREGISTRY_ENV = env.str("ONCOREGISTRY_ENV", default="production")
IS_LOCAL = ONCOREGISTRY_ENV in {"local", "test"}

DEBUG = env.bool("DEBUG", default=ONCOREGISTRY_ENV == "local")
if IS_LOCAL:
    SECRET_KEY = env.str("SECRET_KEY", default="insecure-local-only-key-never-use-in-production")
else:
    SECRET_KEY = env.str("SECRET_KEY", default="")
    if len(SECRET_KEY) < 50:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(
            "SECRET_KEY must be set to a random string of at least 50 characters when "
            f"ONCOREGISTRY_ENV={ONCOREGISTRY_ENV!r} (only 'local' and 'test' have a default). "
            "Generate one with: python -c 'import secrets; print(secrets.token_urlsafe(64))'"
        )
ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"] if IS_LOCAL else []
)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "oncoregistry.review.admin_apps.RegistryAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "import_export",
    "axes",
    "oncoregistry.core",
    "oncoregistry.sources",
    "oncoregistry.review",
    "oncoregistry.imports",
    "oncoregistry.stats",
    "oncoregistry.dashboard",
    "oncoregistry.releases",
    "centers",
    "reference",
    "therapies",
    "partnerships",
    "commitments",
    "oncoregistry.tooling",
]

MIDDLEWARE = [
    # /healthz and /readyz first: a probe needs no allowed host, HTTPS, session or language.
    "oncoregistry.health.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "oncoregistry.core.security.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Language from the address (/ru/, /kk/), the API's ?lang=, the cookie or the browser.
    "oncoregistry.core.i18n.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Anonymous reads answered whole from the cache, under the registry's version
    # (core/response_cache.py); after the language, CSRF and user are known.
    "oncoregistry.core.response_cache.RegistryResponseCacheMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into its lockout response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "oncoregistry.urls"
WSGI_APPLICATION = "oncoregistry.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "oncoregistry.core.i18n.language_links",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
# Persistent connections, checked before reuse so a restarted PostgreSQL is
# reconnected to transparently instead of failing the next request.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL", default="")

if REDIS_URL:
    redis_cache = {
        # Answers a miss instead of an error while Redis is down (core/cache.py).
        "BACKEND": "oncoregistry.core.cache.ResilientRedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="oncoregistry"),
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }
    CACHES = {"default": redis_cache, "registry": redis_cache}
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        # The registry version must be one for every process of the machine (a server's
        # workers, a management command): a file (core/response_cache.py).
        "registry": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": env.str(
                "REGISTRY_VERSION_DIR", default=str(BASE_DIR / ".registry-version")
            ),
            "TIMEOUT": None,
        },
    }
# Anonymous GETs under these paths (and "/", the dashboard) are answered from the cache.
RESPONSE_CACHE_PATHS = [
    "/api/v1/",
    "/centers/",
    "/therapies/",
    "/partnerships/",
    "/sources/",
    "/regions/",
    "/search/",
]
# …except these: releases are files built by a task, not registry reads.
RESPONSE_CACHE_EXCLUDED = ["/api/v1/releases/"]
# A larger answer (a big CSV export) is streamed, not stored.
RESPONSE_CACHE_MAX_BYTES = env.int("RESPONSE_CACHE_MAX_BYTES", default=2_000_000)
# Cached answers of older versions are never read again; the default cache ages them out.
# 0 turns the response cache off (the benchmark's cold server).
RESPONSE_CACHE_SECONDS = env.int("RESPONSE_CACHE_SECONDS", default=24 * 3600)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if ONCOREGISTRY_ENV == "test":
    # Tests log in hundreds of times; a deliberately slow hash only costs time there.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("ru", _("Russian")), ("kk", _("Kazakh"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Kazakh dates and numbers (Django has no Kazakh formats): oncoregistry/formats/.
FORMAT_MODULE_PATH = ["oncoregistry.formats"]
TIME_ZONE = env.str("TIME_ZONE", default="Asia/Almaty")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = env.path("MEDIA_ROOT", default=str(BASE_DIR / "media"))
# The suite keeps its files out of the checkout.
FILES_ROOT = Path(tempfile.gettempdir() if ONCOREGISTRY_ENV == "test" else MEDIA_ROOT)
FILES_PREFIX = "oncoregistry-test-" if ONCOREGISTRY_ENV == "test" else ""
# Dated releases of the registry (oncoregistry/releases): kept here, served by the API.
RELEASES_ROOT = env.str("RELEASES_ROOT", default=str(FILES_ROOT / f"{FILES_PREFIX}releases"))
# Spreadsheets being imported (oncoregistry/imports): written by web, read by the worker (the
# shared media volume); never served.
IMPORTS_ROOT = env.str("IMPORTS_ROOT", default=str(FILES_ROOT / f"{FILES_PREFIX}imports"))
STORAGES = {
    "imports": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": IMPORTS_ROOT},
    },
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "releases": {
        "BACKEND": env.str(
            "RELEASES_STORAGE_BACKEND", default="django.core.files.storage.FileSystemStorage"
        ),
        "OPTIONS": {"location": RELEASES_ROOT},
    },
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not IS_LOCAL
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

LOGIN_URL = "admin:login"

# --- Security ---------------------------------------------------------------
# Production defaults are strict; `make run` and the tests serve plain HTTP locally.
# Behind a TLS-terminating proxy set SECURE_PROXY_SSL_HEADER=true (and make sure the
# proxy sets X-Forwarded-Proto itself, never passing the client's through).
if env.bool("SECURE_PROXY_SSL_HEADER", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not IS_LOCAL)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not IS_LOCAL)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not IS_LOCAL)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if IS_LOCAL else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not IS_LOCAL)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not IS_LOCAL)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Scripts only from the site's own files: no inline script, no eval, no CDN
# (oncoregistry/core/security.py holds the policy and says why styles may be inline).
CONTENT_SECURITY_POLICY_REPORT_ONLY = env.bool("CSP_REPORT_ONLY", default=False)

# Login attempts are limited by django-axes: after AXES_FAILURE_LIMIT failures from one
# address for one username, logins are refused for AXES_COOLOFF_MINUTES.
AUTHENTICATION_BACKENDS = [
    "oncoregistry.core.security.LoginAttemptBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = env.bool("AXES_VERBOSE", default=False)  # lockouts are still logged
# Behind N reverse proxies (AXES_PROXY_COUNT=N) the client's address is read from
# X-Forwarded-For; without a proxy that header is the client's to forge, so it is ignored.
_proxy_count = env.int("AXES_PROXY_COUNT", default=0)
if _proxy_count:
    AXES_IPWARE_PROXY_COUNT = _proxy_count
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]
else:
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]

# --- Celery ---------------------------------------------------------------
# Without Redis, tasks run in-process (the embedded default of `make run`).
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=300)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=360)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# With the broker down, enqueuing gives up within about a second (and the caller logs it)
# instead of holding an editor's request for the default retry schedule.
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}
STATS_REFRESH_MINUTES = env.int("STATS_REFRESH_MINUTES", default=15)
# Registry edits within this window share one queued refresh (stats/triggers.py).
STATS_REFRESH_DEBOUNCE_SECONDS = env.int("STATS_REFRESH_DEBOUNCE_SECONDS", default=10)
# A release is built after registry changes, edits within this window sharing one build;
# beat also builds one when the registry changed and none followed (releases/triggers.py).
RELEASE_DEBOUNCE_SECONDS = env.int("RELEASE_DEBOUNCE_SECONDS", default=60)
RELEASES_AUTOMATIC = env.bool("RELEASES_AUTOMATIC", default=True)
RELEASE_CHECK_MINUTES = env.int("RELEASE_CHECK_MINUTES", default=60)
# How long a refresh may take before a snapshot that misses a change is called stale.
STATS_REFRESH_EXPECTED_SECONDS = env.int("STATS_REFRESH_EXPECTED_SECONDS", default=60)
# How often beat checks for a change the snapshot missed (a refresh lost with its worker,
# an edit made while the broker was down) and refreshes then.
STATS_CATCH_UP_SECONDS = env.int("STATS_CATCH_UP_SECONDS", default=60)
CELERY_BEAT_SCHEDULE = {
    "refresh-statistics": {
        "task": "oncoregistry.stats.tasks.refresh_statistics",
        "schedule": STATS_REFRESH_MINUTES * 60.0,
    },
    "build-release": {
        "task": "oncoregistry.releases.tasks.build_release",
        "schedule": RELEASE_CHECK_MINUTES * 60.0,
    },
    "catch-up-statistics": {
        "task": "oncoregistry.stats.tasks.refresh_statistics_if_behind",
        "schedule": float(STATS_CATCH_UP_SECONDS),
    },
    # Commitments are updated at each commit; the daily rebuild repairs what one missed.
    "rebuild-commitments": {
        "task": "commitments.tasks.rebuild_commitments",
        "schedule": crontab(hour=0, minute=10),
    },
}

# --- Spreadsheet import (django-import-export) ----------------------------
# A file is written whole or not at all; a dry run is rolled back (imports/reports.py).
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"

# --- REST framework -------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.DjangoModelPermissionsOrAnonReadOnly",
    ],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "oncoregistry.core.filters.CrossScriptSearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_RENDERER_CLASSES": [
        "oncoregistry.core.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "oncoregistry.core.renderers.ContentNegotiation",
    # Writes take JSON (the README's examples; the browsable API's raw-data form sends it):
    # one request body per operation in the schema, no form encodings to get wrong.
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # Amounts and figures are JSON numbers (analysts' tools read them as numbers), written
    # with their exact digits by core/renderers.py.
    "COERCE_DECIMAL_TO_STRING": False,
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "oncoregistry.core.throttling.SignedInRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        # A notebook paging through a list; bulk needs are served by releases.
        "anon": env.str("API_ANON_RATE", default="600/minute"),
        "user": env.str("API_USER_RATE", default="2000/minute"),
    },
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Oncoregistry API",
    "DESCRIPTION": "Kazakhstan's oncology capacity: centers, equipment, capacity, "
    "therapies, partnerships and funding, every fact with its source.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Requests take related records as slugs, responses give {slug, url, name}.
    "COMPONENT_SPLIT_REQUEST": True,
    # Fields named kind/status/role/period have different choices per model.
    "ENUM_NAME_OVERRIDES": {
        "RegionKindEnum": "oncoregistry.api_enums.RegionKind",
        "OrganizationKindEnum": "centers.models.OrganizationKind",
        "CapacityFigureKindEnum": "oncoregistry.api_enums.CapacityFigureKind",
        "AgreementKindEnum": "partnerships.models.AgreementKind",
        "OrganizationStatusEnum": "centers.models.OrganizationStatus",
        "EquipmentStatusEnum": "centers.models.EquipmentStatus",
        "DesignationStatusEnum": "oncoregistry.api_enums.DesignationStatus",
        "AgreementStatusEnum": "partnerships.models.AgreementStatus",
        "TherapyOfferingRoleEnum": "oncoregistry.api_enums.TherapyOfferingRole",
        "AgreementPartyRoleEnum": "oncoregistry.api_enums.AgreementPartyRole",
        "CapacityFigurePeriodEnum": "oncoregistry.api_enums.CapacityFigurePeriod",
        "FundingPeriodEnum": "partnerships.models.FundingPeriod",
        "QualifierEnum": "oncoregistry.core.choices.Qualifier",
    },
}
# The error answers (400/401/403/404/429) and anonymous reads are part of the contract too.
SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"] = [
    "drf_spectacular.hooks.postprocess_schema_enums",
    "oncoregistry.core.openapi.document_error_responses",
]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}

# Oncoregistry: one image for web (gunicorn), worker and beat (see docker-compose.yml).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1

RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY . .
RUN pip install . \
    && ONCOREGISTRY_ENV=local python manage.py compilemessages -v0 --ignore .venv \
    # Static files are collected at build time and served by WhiteNoise (hashed, compressed).
    # The key below exists only for this build step; the container needs its own SECRET_KEY.
    && ONCOREGISTRY_ENV=production ALLOWED_HOSTS=localhost \
       SECRET_KEY=collectstatic-only-build-key-not-used-at-runtime-0123456789abcdef \
       python manage.py collectstatic --noinput -v0 \
    && useradd --system --create-home --uid 10001 oncoregistry \
    # The releases volume (docker-compose.yml) starts as this directory: writable by the app.
    && mkdir -p /srv/media && chown oncoregistry /srv/media

USER oncoregistry
EXPOSE 8000
CMD ["gunicorn", "oncoregistry.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", \
     "--access-logfile", "-"]

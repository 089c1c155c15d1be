"""What releases read: the registry's newest change, the releases kept, the sources."""

from django.apps import apps
from django.db.models import Max

from oncoregistry.core.visibility import published, published_history
from oncoregistry.sources.models import Source

from .models import Release

REGISTRY_APPS = ("sources", "centers", "therapies", "partnerships")


def registry_models():
    """Every record model with history (the history tables themselves excluded)."""
    return [
        model
        for label in REGISTRY_APPS
        for model in apps.get_app_config(label).get_models()
        if hasattr(model, "history") and not model.__name__.startswith("Historical")
    ]


def registry_changed_at():
    """The newest creation, change or deletion of any record (None for an empty registry)."""
    newest = [
        published_history(model.history.all()).aggregate(newest=Max("history_date"))["newest"]
        for model in registry_models()
    ]
    newest = [moment for moment in newest if moment is not None]
    return max(newest) if newest else None


def latest_release():
    return Release.objects.order_by("-version").first()


def release_list():
    return Release.objects.order_by("-version")


def source_list():
    """``(title, publisher, date, url)`` of every published source, for a release's README."""
    return [
        (source.title, source.publisher, source.date_display, source.url)
        for source in published(Source.objects.order_by("title"))
    ]

"""Which models are the registry the statistics are computed from."""

from django.apps import apps

# reference: population and benchmarks feed the per-capita indicators and comparisons.
REGISTRY_APPS = ("centers", "therapies", "partnerships", "sources", "reference")


def registry_models():
    """Every registry model whose changes alter the statistics (history tables excluded)."""
    return [
        model
        for label in REGISTRY_APPS
        for model in apps.get_app_config(label).get_models()
        if not model.__name__.startswith("Historical")
    ]

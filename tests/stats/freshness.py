"""Moving the registry's change times, for the freshness tests."""

import datetime


def backdate_registry(seconds):
    """Every registry record last changed ``seconds`` ago; returns that time."""
    from django.utils import timezone

    from oncoregistry.core.response_cache import bump_registry_version
    from oncoregistry.stats.triggers import registry_models

    when = timezone.now() - datetime.timedelta(seconds=seconds)
    for model in registry_models():
        if any(field.name == "updated_at" for field in model._meta.concrete_fields):
            model._default_manager.update(updated_at=when)
    bump_registry_version()  # the rows were rewritten behind the app's back (no signals)
    return when

from django.apps import AppConfig


class ToolingConfig(AppConfig):
    """Tools that need every app: the fixture loader, the archive, synthetic data."""

    name = "oncoregistry.tooling"
    label = "tooling"
    verbose_name = "Oncoregistry tooling"

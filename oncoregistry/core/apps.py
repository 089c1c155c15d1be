from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "oncoregistry.core"
    label = "core"
    verbose_name = "Oncoregistry core"

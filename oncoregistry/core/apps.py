from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "oncoregistry.core"
    label = "core"
    verbose_name = "Oncoregistry core"

    def ready(self):
        from .search import connect

        connect()  # every searchable record keeps its cross-script search key

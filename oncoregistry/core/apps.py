from django.apps import AppConfig
from django.db.backends.signals import connection_created


class CoreConfig(AppConfig):
    name = "oncoregistry.core"
    label = "core"
    verbose_name = "Oncoregistry core"

    def ready(self):
        from .db import use_c_timestamp_loader

        connection_created.connect(use_c_timestamp_loader, dispatch_uid="c_timestamp_loader")

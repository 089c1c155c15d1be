"""Write side of sources; every write goes through the model's ``full_clean``."""

from oncoregistry.core.records import record_save

from .models import Source


def source_create(**fields) -> Source:
    return record_save(Source(), fields)


def source_update(*, source: Source, **fields) -> Source:
    return record_save(source, fields)

"""How a resource matches a file's rows to records: what the file names is read once (the
records its slugs name, the records its rows may match, by natural key), and a new record's
slug is made from its name."""

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.text import slugify

from oncoregistry.core.admin import unique_slug
from oncoregistry.core.meta import default_manager, options
from oncoregistry.core.models import stated_precision
from oncoregistry.core.names import transliterate
from oncoregistry.core.records import Known
from oncoregistry.core.uniqueness import KeyIndex

from .columns import SlugWidget, blank


class RecordMatching:
    """Row ↔ record: the natural-key index a file is checked against (``RegistryResource``)."""

    def read_known(self, dataset):
        """What the dry run checks each row against, read here at once: the records the
        file's slugs name (they exist), the matched records' own relations, who holds each
        slug the file names, the natural keys of the records the rows may match."""
        model = self.get_model()
        related = {}
        for field in self.get_import_fields():
            if isinstance(field.widget, SlugWidget):
                found = {r.pk for r in field.widget.cache.values() if r is not None}
                related.setdefault(field.widget.model, set()).update(found)
        links = [f for f in options(model).concrete_fields if f.many_to_one]
        for record in self.existing.values():
            for field in links:
                value = getattr(record, field.attname)
                if value is not None:
                    related.setdefault(field.related_model, set()).add(value)
        unique = {}
        if "slug" in self.fields:
            unique["slug"] = {r.slug: r.pk for r in self.existing.values()}
            if "slug" in dataset.headers:
                named = {str(v).strip() for v in dataset["slug"] if not blank(v)}
                unique["slug"].update(
                    default_manager(model).filter(slug__in=named).values_list("slug", "pk")
                )
        spec = getattr(model, "natural_key_spec", None)
        keys = KeyIndex(spec, self.existing.values()) if spec is not None else None
        return Known(related=related, unique=unique, keys=keys)

    def load_existing(self, dataset):
        """The records the file's rows may match, read in one query, by natural key."""
        keys = [
            self.row_key(dict(zip(dataset.headers, values, strict=False))) for values in dataset
        ]
        keys = [key for key in keys if key is not None]
        if not keys:
            return {}
        lookup = Q()
        for position, name in enumerate(self.natural_key):
            # Every part of the key the file names (text compared without letter case
            # aside): only records that may share a row's key are read.
            if name in self.ignore_case:
                continue
            field = options(self.get_model()).get_field(name)
            values = {key[position] for key in keys}
            part = Q(**{f"{field.attname}__in": values - {None}})
            if None in values:
                part |= Q(**{f"{field.attname}__isnull": True})
            lookup &= part
        queryset = self.get_queryset().filter(lookup)
        related = [
            f.name
            for f in options(self.get_model()).concrete_fields
            if f.many_to_one and f.name in self.fields
        ]
        many = [f.name for f in options(self.get_model()).many_to_many if f.name in self.fields]
        queryset = queryset.select_related(*related).prefetch_related(*many)
        return {self.key_of(record): record for record in queryset}

    def key_of(self, record):
        key = []
        for name in self.natural_key:
            field = options(record).get_field(name)
            value = getattr(record, field.attname)
            if name in self.ignore_case and value:
                value = value.lower()
            key.append(value)
        return tuple(key)

    def row_key(self, row):
        """The row's natural key from its cells, or None when a cell of it is not valid."""
        key = []
        for name in self.natural_key:
            field = self.fields[name]
            try:
                value = field.clean(row)
            except (ValueError, KeyError, ValidationError):
                return None
            if name == "slug" and not value:
                # No slug: the one its name gives, as a new record would get it.
                value = self.slug_base([row.get(part) for part in self.slug_from])
                if not value:
                    return None
            if hasattr(value, "pk"):
                value = value.pk
            if name in self.ignore_case and value:
                value = value.lower()
            key.append(value)
        return tuple(key)

    def slug_base(self, parts):
        words = [str(getattr(p, "slug", None) or p).strip() for p in parts if not blank(p)]
        longest = options(self.get_model()).get_field("slug").max_length - 4
        return slugify(transliterate(" ".join(words).lower()))[:longest].strip("-")

    def key_of_row(self, row):
        """``row_key`` of the row being imported, worked out once for it."""
        if self.current_key[0] is not row:
            self.current_key = (row, self.row_key(row))
        return self.current_key[1]

    def precision_of(self, instance):
        return stated_precision(instance.date_year, instance.date_month, instance.date_day)

    def slug_parts(self, instance):
        return [getattr(instance, name, None) for name in self.slug_from or self.natural_key]

    def new_slug(self, instance):
        base = self.slug_base(self.slug_parts(instance)) or "record"
        return unique_slug(type(instance), base)

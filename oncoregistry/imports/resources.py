"""Spreadsheet columns of the registry's records (django-import-export, adapted).

A resource lists a record's columns: foreign keys by slug (never a database id), choices by
their code, a partial date in its parts. Every row also names its ``source`` (a source's slug)
and the ``quote`` copied verbatim from it; the record is written with that citation. Rows are
matched to existing records by the record's natural key, so a second import of the same file
updates (or leaves alone) what the first one created instead of adding copies.

Rows are written by ``import_write`` (the review workflow's write: a new record is a draft, a
published one gets a proposed change); ``imports.py`` beside runs a file through a resource
and turns the library's result into the row-by-row report editors read.
"""

import datetime
import decimal

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import Prefetch, Q
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from import_export import fields, resources, widgets

from oncoregistry.core.admin import unique_slug
from oncoregistry.core.choices import DatePrecision, DateQualifier
from oncoregistry.core.meta import default_manager, options
from oncoregistry.core.names import transliterate
from oncoregistry.core.records import Known, record_check
from oncoregistry.core.uniqueness import KeyIndex
from oncoregistry.review.services import record_write
from oncoregistry.sources.models import Citation, Source

#: django-simple-history's ``history_change_reason`` is a 100-character column.
HISTORY_REASON_LENGTH = 100
SOURCE, QUOTE = "source", "quote"


def import_reason(file_name):
    """'Import of <file name>', cut to the history's column."""
    reason = str(_("Import of %(file)s") % {"file": file_name or "?"})
    if len(reason) > HISTORY_REASON_LENGTH:
        reason = reason[: HISTORY_REASON_LENGTH - 1] + "…"
    return reason


def import_write(instance, changes, *, user, reason, citations=(), **known):
    """The one write of an import is the registry's (``record_write``): a new record is a
    draft; a change to a published record is a proposal a reviewer approves. The same file
    imported again by the same editor revises its pending proposal, never adds a second."""
    return record_write(
        instance,
        changes,
        user=user,
        reason=reason,
        citations=citations,
        revise_pending=True,
        **known,
    )


def blank(value):
    return value is None or (isinstance(value, str) and not value.strip())


class TextWidget(widgets.Widget):
    """Text as written; an empty cell is empty text. Line ends are kept as ``\\n``."""

    def clean(self, value, row=None, **kwargs):
        if blank(value):
            return ""
        text = str(value).replace("\r\n", "\n").replace("\r", "\n")
        return text.strip()

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


class NumberWidget(widgets.Widget):
    """A number with a dot for decimals (spaces between thousands allowed): 12000, 1.5."""

    def __init__(self, integer=False, **kwargs):
        self.integer = integer
        super().__init__(**kwargs)

    def clean(self, value, row=None, **kwargs):
        if blank(value):
            return None
        if isinstance(value, bool):
            raise ValueError(_("“%(value)s” is not a number.") % {"value": value})
        text = str(value).strip().replace("\u00a0", "").replace(" ", "")
        try:
            number = decimal.Decimal(text)
        except decimal.InvalidOperation:
            raise ValueError(
                _("“%(value)s” is not a number: write digits, with a dot for decimals (12000.5).")
                % {"value": value}
            ) from None
        if not number.is_finite():
            raise ValueError(_("“%(value)s” is not a number.") % {"value": value})
        if self.integer:
            if number != number.to_integral_value():
                raise ValueError(_("“%(value)s” is not a whole number.") % {"value": value})
            return int(number)
        return number

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        if isinstance(value, decimal.Decimal):
            return f"{value.normalize():f}"
        return str(value)


class DateWidget(widgets.Widget):
    """A whole date, written YYYY-MM-DD (or a date cell of the spreadsheet)."""

    def clean(self, value, row=None, **kwargs):
        if blank(value):
            return None
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        try:
            return datetime.date.fromisoformat(str(value).strip()[:10])
        except ValueError:
            raise ValueError(
                _("“%(value)s” is not a date: write it as YYYY-MM-DD (2024-07-01).")
                % {"value": value}
            ) from None

    def render(self, value, obj=None, **kwargs):
        return value.isoformat() if value else ""


class ChoiceWidget(widgets.Widget):
    """One of a field's codes (``delivered``, ``per_year``); an empty cell takes the default."""

    def __init__(self, choices, default="", **kwargs):
        self.choices = list(choices)
        self.default = default
        super().__init__(**kwargs)

    def clean(self, value, row=None, **kwargs):
        if blank(value):
            return self.default
        text = str(value).strip()
        codes = {code.lower(): code for code, _label in self.choices}
        if text.lower() in codes:
            return codes[text.lower()]
        raise ValueError(
            _("“%(value)s” is not an allowed value here; use one of: %(allowed)s.")
            % {"value": text, "allowed": ", ".join(code for code, _label in self.choices)}
        )

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


class SlugWidget(widgets.ForeignKeyWidget):
    """A foreign key named by the slug of the record it points to. The slugs a file names are
    read in one query per column (``preload``), not one per row."""

    def __init__(self, model, **kwargs):
        super().__init__(model, field="slug", **kwargs)
        self.cache = {}

    def preload(self, values):
        wanted = {str(v).strip() for v in values if not blank(v)} - set(self.cache)
        if not wanted:
            return
        for record in default_manager(self.model).filter(slug__in=wanted):
            self.cache[record.slug] = record
        for slug in wanted:
            self.cache.setdefault(slug, None)

    def clean(self, value, row=None, **kwargs):
        if blank(value):
            return None
        slug = str(value).strip()
        if slug not in self.cache:
            self.preload([slug])
        record = self.cache[slug]
        if record is None:
            raise ValueError(
                _("No %(model)s has the slug “%(slug)s” in the registry.")
                % {"model": options(self.model).verbose_name, "slug": slug}
            )
        return record

    def render(self, value, obj=None, **kwargs):
        return value.slug if value is not None else ""


class SlugListWidget(widgets.ManyToManyWidget):
    """Several records by slug, separated by commas: ``blood-cancers, leukemia``."""

    def __init__(self, model, **kwargs):
        super().__init__(model, separator=",", field="slug", **kwargs)

    def clean(self, value, row=None, **kwargs):
        if blank(value):
            return default_manager(self.model).none()
        slugs = [s.strip() for s in str(value).split(self.separator) if s.strip()]
        found = default_manager(self.model).filter(slug__in=slugs)
        missing = sorted(set(slugs) - {record.slug for record in found})
        if missing:
            raise ValueError(
                _("No %(model)s has the slug “%(slug)s” in the registry.")
                % {"model": options(self.model).verbose_name, "slug": ", ".join(missing)}
            )
        return found

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return ", ".join(sorted(record.slug for record in value.all()))


class Column(fields.Field):
    """A column with what it means, for the template's data dictionary."""

    def __init__(self, *args, meaning="", required=False, **kwargs):
        self.meaning = meaning
        self.required = required
        super().__init__(*args, **kwargs)


def text(attribute, meaning, required=False):
    return Column(
        attribute=attribute,
        column_name=attribute,
        widget=TextWidget(),
        meaning=meaning,
        required=required,
    )


def number(attribute, meaning, integer=False, required=False):
    return Column(
        attribute=attribute,
        column_name=attribute,
        widget=NumberWidget(integer=integer),
        meaning=meaning,
        required=required,
    )


def choice(attribute, choices, meaning, default="", required=False):
    return Column(
        attribute=attribute,
        column_name=attribute,
        widget=ChoiceWidget(choices, default),
        meaning=meaning,
        required=required,
    )


def slug_of(attribute, model, meaning, required=False):
    return Column(
        attribute=attribute,
        column_name=attribute,
        widget=SlugWidget(model),
        meaning=meaning,
        required=required,
    )


def slugs_of(attribute, model, meaning):
    return Column(
        attribute=attribute, column_name=attribute, widget=SlugListWidget(model), meaning=meaning
    )


def partial_date_columns():
    """The five columns of a date as precise as its source: year, month, day, precision and
    qualifier ('by 2026'). An empty precision is taken from the parts filled in."""
    return (
        number("date_year", _("Year the source gives (e.g. 2026); empty if none."), integer=True),
        number("date_month", _("Month 1–12, only when the source gives it."), integer=True),
        number("date_day", _("Day of the month, only when the source gives it."), integer=True),
        choice(
            "date_precision",
            DatePrecision.choices,
            _("How precise the date is. Empty: taken from the parts filled in."),
        ),
        choice(
            "date_qualifier",
            DateQualifier.choices,
            _("'on' the date, or 'by', 'before'… as the source words it. Empty: on."),
            default=DateQualifier.ON,
        ),
    )


DATE_COLUMNS = ("date_year", "date_month", "date_day", "date_precision", "date_qualifier")


class RegistryResource(resources.ModelResource):
    """Base of every registry resource: natural-key matching, the source and its quote,
    plain-words errors, writes through ``import_write`` with the file's name as reason."""

    source = Column(
        attribute=None,
        column_name=SOURCE,
        widget=TextWidget(),
        required=True,
        meaning=_(
            "The slug of the source (article) the row comes from, as in the admin's list of "
            "sources."
        ),
    )
    quote = Column(
        attribute=None,
        column_name=QUOTE,
        widget=TextWidget(),
        required=True,
        meaning=_(
            "The passage of that source that says this, copied exactly (it is checked against "
            "the source's text)."
        ),
    )

    class Meta:
        # No savepoint around each row: the dry run writes nothing, and each write of a
        # confirmed import is record_write's own transaction.atomic (a refused row rolls the
        # whole file back either way).
        use_bulk = True

    @property
    def natural_key(self):
        """Model fields that identify a record: the model's natural key, or its slug."""
        spec = getattr(self.get_model(), "natural_key_spec", None)
        return tuple(spec.fields) if spec is not None else ("slug",)

    #: Fields matched without letter case (as the natural key's constraint compares them).
    ignore_case = ()
    #: False for reference data that names its source itself: the quote may be empty.
    quote_required = True
    #: The field a new record's slug is made from (its name), or the key's fields.
    slug_from = ()

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.existing = {}
        self.seen = {}
        self.snapshots = {}
        self.sources = {}
        self.changes = {}
        self.cited = set()
        self.known = Known()
        self.known_citations = Known()
        self.generated_slugs = set()
        self.current_key = (None, None)
        self.dry_run = True
        self.user = None
        self.reason = ""

    # -- columns -------------------------------------------------------------------------

    def example_extra(self, record, records):
        """Cells of the template's example row that are not the fixture record's fields."""
        return {}

    @classmethod
    def columns(cls):
        return [field.column_name for field in cls().get_import_fields()]

    def record_columns(self):
        return [f for f in self.get_import_fields() if f.attribute]

    def column_of(self, attribute):
        """The column a model field's error belongs to (``organization_id`` → organization)."""
        for field in self.get_import_fields():
            if field.attribute == attribute or f"{field.attribute}_id" == attribute:
                return field.column_name
        return attribute

    # -- reading the file once -----------------------------------------------------------

    def import_data(self, dataset, dry_run=False, **kwargs):
        self.dry_run = dry_run
        return super().import_data(dataset, dry_run=dry_run, **kwargs)

    def before_import(self, dataset, **kwargs):
        self.user = kwargs.get("user")
        self.reason = import_reason(kwargs.get("file_name"))
        self.seen, self.snapshots, self.changes = {}, {}, {}
        for field in self.get_import_fields():
            if isinstance(field.widget, SlugWidget) and field.column_name in dataset.headers:
                field.widget.cache = {}
                field.widget.preload(dataset[field.column_name])
        if SOURCE in dataset.headers:
            slugs = {str(v).strip() for v in dataset[SOURCE] if not blank(v)}
            self.sources = {s.slug: s for s in Source.objects.filter(slug__in=slugs)}
        self.existing = self.load_existing(dataset)
        # The citations the matched records already have, read once: an unchanged row costs
        # no query.
        content_type = ContentType.objects.get_for_model(self.get_model())
        citations = list(
            Citation.objects.filter(
                content_type=content_type,
                object_id__in=[record.pk for record in self.existing.values()],
            )
        )
        self.cited = {(c.object_id, c.source_id, c.quote) for c in citations}
        self.known = self.read_known(dataset)
        # The citations a confirmed import writes are checked against these (a new record
        # has none yet): the file's sources, the record type, the matched records' citations.
        self.known_citations = Known(
            related={
                Source: {source.pk for source in self.sources.values()},
                ContentType: {content_type.pk},
            },
            keys=KeyIndex(Citation.natural_key_spec, citations),
        )

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

    @classmethod
    def get_model(cls):
        return cls._meta.model

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

    def get_instance(self, instance_loader, row):
        key = self.key_of_row(row)
        return None if key is None else self.existing.get(key)

    def after_init_instance(self, instance, new, row, **kwargs):
        # What the record's columns say before the row is applied, to list what changes.
        self.snapshots[kwargs["row_number"]] = (
            None
            if new
            else {f.column_name: self.export_field(f, instance) for f in self.record_columns()}
        )

    # -- one row -------------------------------------------------------------------------

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        number = kwargs["row_number"]
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if "date_precision" in self.fields and blank(row.get("date_precision")):
            instance.date_precision = self.precision_of(instance)
        if "slug" in self.fields and not instance.slug:
            snapshot = self.snapshots.get(number)
            if snapshot:
                instance.slug = snapshot["slug"]
            elif self.dry_run:
                # Free by construction (the confirmed import's unique_slug adds -2, -3… when
                # taken): the dry run does not look it up.
                instance.slug = self.slug_base(self.slug_parts(instance)) or "record"
                self.generated_slugs.add(number)
            else:
                instance.slug = self.new_slug(instance)
        key = self.key_of_row(row)
        if key is not None:
            first = self.seen.setdefault(key, number)
            if first != number:
                errors.setdefault(NON_FIELD_ERRORS, []).append(
                    ValidationError(
                        _(
                            "Row %(row)s already says this (the same %(fields)s): a record is "
                            "imported once per file."
                        )
                        % {"row": first + 1, "fields": ", ".join(self.natural_key)}
                    )
                )
        errors.update(self.check_citation(instance, row))
        self.check_row(instance, row, errors)
        if errors:
            raise ValidationError(errors)

    def check_row(self, instance, row, errors):
        """Checks a resource adds to the model's own (its extra columns)."""

    def check_citation(self, instance, row):
        source_slug = str(row.get(SOURCE) or "").strip()
        quote = TextWidget().clean(row.get(QUOTE))
        errors = {}
        if not source_slug:
            if self.quote_required or quote:
                errors[SOURCE] = [_("Name the source (its slug) this row comes from.")]
            return errors
        source = self.sources.get(source_slug)
        if source is None:
            errors[SOURCE] = [
                _("No source has the slug “%(slug)s” in the registry.") % {"slug": source_slug}
            ]
            return errors
        if not quote:
            if self.quote_required:
                errors[QUOTE] = [_("Copy the passage of the source that says this.")]
        elif not source.is_dataset and quote not in source.text:
            errors[QUOTE] = [
                _(
                    "This quote is not in the source “%(source)s”: copy the passage exactly as "
                    "the article writes it, including punctuation."
                )
                % {"source": source.title}
            ]
        return errors

    def precision_of(self, instance):
        if instance.date_day is not None:
            return DatePrecision.DAY
        if instance.date_month is not None:
            return DatePrecision.MONTH
        if instance.date_year is not None:
            return DatePrecision.YEAR
        return DatePrecision.UNKNOWN

    def slug_parts(self, instance):
        return [getattr(instance, name, None) for name in self.slug_from or self.natural_key]

    def new_slug(self, instance):
        base = self.slug_base(self.slug_parts(instance)) or "record"
        return unique_slug(type(instance), base)

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        # The dry run checks every row against the model's rules (record_check: full_clean's
        # steps, answered by what before_import read at once) and writes nothing. A confirmed
        # import's good row meets them in its write (record_save's full_clean); a row
        # already refused is checked here too, so that it lists all that is wrong at once.
        errors = dict(import_validation_errors or {})
        exclude = set(errors)
        if self.dry_run:
            if self.current_row in self.generated_slugs:
                exclude.add("slug")
            try:
                record_check(instance, exclude=exclude, known=self.known)
            except ValidationError as error:
                errors = error.update_error_dict(errors)
        elif errors:
            try:
                instance.full_clean(exclude=list(errors))
            except ValidationError as error:
                errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def skip_row(self, instance, original, row, import_validation_errors=None):
        if import_validation_errors:
            return False
        number = self.current_row
        before = self.snapshots.get(number)
        if before is None:
            self.changes[number] = []
            return False
        after = {
            f.column_name: self.export_field(f, instance, row=row) for f in self.record_columns()
        }
        self.changes[number] = [
            (column, before[column], after[column])
            for column in before
            if before[column] != after[column]
        ]
        return not self.changes[number] and self.has_citation(instance, row)

    def export_field(self, field, instance, **kwargs):
        row = kwargs.get("row")
        if row is not None and isinstance(field.widget, widgets.ManyToManyWidget):
            # Not applied to the record until it is saved: compare the cell itself.
            try:
                return field.widget.render(_Listed(field.clean(row)))
            except ValueError:
                return str(row.get(field.column_name) or "")
        return super().export_field(field, instance)

    def import_row(self, row, instance_loader, **kwargs):
        self.current_row = kwargs["row_number"]
        return super().import_row(row, instance_loader, **kwargs)

    def has_citation(self, instance, row):
        source = self.sources.get(str(row.get(SOURCE) or "").strip())
        quote = TextWidget().clean(row.get(QUOTE))
        if source is None or not quote or instance.pk is None:
            return True
        return (instance.pk, source.pk, quote) in self.cited

    def save_instance(self, instance, is_create, row, **kwargs):
        number = kwargs["row_number"]
        if self.dry_run:
            # Checked (validate_instance), not written: what a later row of the file is
            # checked against is what this one would have written.
            self.remember(instance, number)
            return
        # Each write checks the record with what the file's lookups read (record_check), and
        # the record's place in it is kept for the rows after it.
        if is_create:
            import_write(
                instance,
                {},
                user=self.user,
                reason=self.reason,
                citations=self.row_citations(instance, row),
                known=self.known,
                known_citations=self.known_citations,
            )
            self.remember(instance, number)
            return
        changed = {}
        for column, _before, _after in self.changes.get(number, []):
            attribute = self.fields[column].attribute
            if attribute is None:
                continue  # a column of the resource's own (an agreement's parties)
            field = options(instance).get_field(attribute)
            if not field.many_to_many:
                changed[attribute] = getattr(instance, attribute)
        if "date_year" in changed or "date_month" in changed or "date_day" in changed:
            changed.setdefault("date_precision", instance.date_precision)
        current = default_manager(type(instance)).get(pk=instance.pk)
        if current.is_published:
            # The change and its citation go to the reviewer together, as one proposal.
            citations = self.row_citations(instance, row)
            if changed or citations:
                import_write(
                    current,
                    changed,
                    user=self.user,
                    reason=self.reason,
                    citations=citations,
                    known=self.known,
                )
            instance.refresh_from_db()
            return
        if changed:
            import_write(current, changed, user=self.user, reason=self.reason, known=self.known)
            instance.refresh_from_db()
            self.remember(instance, number)
        self.save_citation(instance, row)

    def remember(self, instance, number):
        """The record a row writes (or would write), for the checks of the rows after it."""
        if self.known.keys is not None:
            self.known.keys.add(instance)
        slugs = self.known.unique.get("slug")
        if slugs is None:
            return
        if self.dry_run and number in self.generated_slugs:
            # The slug the name gives, which the write takes unless someone has it: a later
            # row naming it is refused, as the write would refuse it.
            slugs.setdefault(instance.slug, -number)
        else:
            slugs[instance.slug] = instance.pk or -number

    def row_citations(self, instance, row):
        """The row's citation when the record does not have it yet (a proposal's citations)."""
        source = self.sources.get(str(row.get(SOURCE) or "").strip())
        quote = TextWidget().clean(row.get(QUOTE))
        if source is None or not quote:
            return []
        if instance.pk is not None and (instance.pk, source.pk, quote) in self.cited:
            return []
        return [{"source": source, "quote": quote}]

    def save_citation(self, instance, row):
        source = self.sources.get(str(row.get(SOURCE) or "").strip())
        quote = TextWidget().clean(row.get(QUOTE))
        if source is None or not quote:
            return
        citation = Citation(content_object=instance, source=source, quote=quote)
        if self.known_citations.keys.find(citation) is None:
            import_write(
                citation, {}, user=self.user, reason=self.reason, known=self.known_citations
            )
            self.known_citations.keys.add(citation)

    def save_m2m(self, instance, row, **kwargs):
        if self.dry_run:
            return
        for field in self.get_import_fields():
            if isinstance(field.widget, widgets.ManyToManyWidget) and field.column_name in row:
                wanted = list(field.clean(row))
                current = getattr(instance, field.attribute)
                if {r.pk for r in wanted} != set(current.values_list("pk", flat=True)):
                    current.set(wanted)

    def after_import(self, dataset, result, **kwargs):
        """Nothing: the library resets id sequences here; the registry never sets ids."""

    # -- export --------------------------------------------------------------------------

    def filter_export(self, queryset, **kwargs):
        citations = Prefetch(
            "citations", queryset=Citation.objects.select_related("source").order_by("id")
        )
        return queryset.prefetch_related(citations)

    def citation_for_export(self, record):
        citations = list(record.citations.all())
        whole = [c for c in citations if not c.field_name]
        chosen = (whole or citations or [None])[0]
        return chosen

    def dehydrate_source(self, record):
        citation = self.citation_for_export(record)
        return citation.source.slug if citation else ""

    def dehydrate_quote(self, record):
        citation = self.citation_for_export(record)
        return citation.quote if citation else ""


class _Listed:
    """A list that answers ``.all()`` as a related manager does (for rendering a cell)."""

    def __init__(self, records):
        self.records = list(records)

    def all(self):
        return self.records

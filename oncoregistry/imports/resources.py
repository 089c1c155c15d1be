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

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from import_export import resources, widgets

from oncoregistry.core.meta import default_manager, options
from oncoregistry.core.records import Known, record_check
from oncoregistry.core.uniqueness import KeyIndex
from oncoregistry.sources.models import Citation, Source

from .citing import RowCitations
from .columns import QUOTE, SOURCE, Column, SlugWidget, TextWidget, blank
from .matching import RecordMatching
from .writes import import_reason, import_write


class RegistryResource(RecordMatching, RowCitations, resources.ModelResource):
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
        #: Rows of the file before the chunk being run: a row's number is the file's.
        self.row_offset = 0
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
        # Called for each chunk of the file; ``seen`` and what earlier chunks' rows wrote (or
        # would write) stay for the whole file, so a duplicate across chunks is refused.
        self.user = kwargs.get("user")
        self.reason = import_reason(kwargs.get("file_name"))
        self.snapshots, self.changes = {}, {}
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
        self.known = self.carried(self.read_known(dataset))
        # The citations a confirmed import writes are checked against these (a new record
        # has none yet): the file's sources, the record type, the matched records' citations.
        self.known_citations = Known(
            related={
                Source: {source.pk for source in self.sources.values()},
                ContentType: {content_type.pk},
            },
            keys=KeyIndex(Citation.natural_key_spec, citations),
        )

    def carried(self, known):
        """A chunk's lookups joined to the earlier chunks' (their rows' records as remembered):
        the earlier index grows by the chunk's records, never copied whole."""
        for name, holders in self.known.unique.items():
            holders.update(known.unique.get(name, {}))
            known.unique[name] = holders
        if self.known.keys is not None and known.keys is not None:
            for key, records in known.keys.holders.items():
                self.known.keys.holders.setdefault(key, []).extend(records)
            known.keys = self.known.keys
        return known

    @classmethod
    def get_model(cls):
        return cls._meta.model

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
        kwargs["row_number"] += self.row_offset
        self.current_row = kwargs["row_number"]
        return super().import_row(row, instance_loader, **kwargs)

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


class _Listed:
    """A list that answers ``.all()`` as a related manager does (for rendering a cell)."""

    def __init__(self, records):
        self.records = list(records)

    def all(self):
        return self.records

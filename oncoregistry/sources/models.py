from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from oncoregistry.core.meta import options
from oncoregistry.core.models import (
    PartialDateModel,
    PublishableModel,
    partial_date_constraints,
)
from oncoregistry.core.uniqueness import NaturalKey, NaturalKeyModel


class SourceKind(models.TextChoices):
    ARTICLE = "article", _("article (full text kept, quotes checked)")
    DATASET = "dataset", _("dataset or reference publication (no full text)")


class Source(PublishableModel, PartialDateModel):
    """An article the registry's facts come from, kept with its full text, or a dataset
    (a statistics table, a benchmark's publication) cited for reference data, without it."""

    Kind = SourceKind

    requires_citation = False  # it is the source; it is published with the first record citing it

    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    title = models.CharField(_("title"), max_length=300)
    publisher = models.CharField(_("publisher or outlet"), max_length=200, blank=True)
    url = models.URLField(_("URL"), max_length=500, blank=True)
    language = models.CharField(_("language"), max_length=8, default="en")
    seed_file = models.CharField(
        _("seed file"),
        max_length=200,
        blank=True,
        help_text=_("The file in shared/seeds this source was loaded from."),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.ARTICLE)
    text = models.TextField(
        _("full text"), blank=True, help_text=_("Required for an article; empty for a dataset.")
    )
    provenance = models.TextField(
        _("provenance"),
        blank=True,
        help_text=_("Where a dataset's figures come from, as exactly as it is known."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True, db_index=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        ordering = ["title"]
        constraints = [
            *partial_date_constraints(),
            models.CheckConstraint(
                condition=~models.Q(text="") | models.Q(kind=SourceKind.DATASET),
                name="sources_source_text_not_empty",
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=SourceKind.values), name="sources_source_kind_valid"
            ),
        ]

    def __str__(self):
        return self.title

    def natural_key(self):
        return (self.slug,)

    @property
    def is_dataset(self):
        return self.kind == SourceKind.DATASET

    def clean(self):
        super().clean()
        if self.kind == SourceKind.ARTICLE and not self.text.strip():
            raise ValidationError(
                {"text": _("An article needs its full text, so that quotes can be checked.")}
            )


CITATION_KEY = NaturalKey(
    "content_type",
    "object_id",
    "source",
    "field_name",
    "quote",
    name="sources_citation_natural_key",
    label=_("record, source, field and quote"),
    hashed=["quote"],
)


class Citation(NaturalKeyModel, PublishableModel):
    """A passage quoted verbatim from a source that backs one record (or one field of it)."""

    requires_citation = False  # it is published with the record it backs
    # The field is part of the key: one passage may back a record and, separately, one of
    # its fields (the seed fixtures do so for an organisation's region).
    natural_key_spec = CITATION_KEY

    source = models.ForeignKey(
        Source, on_delete=models.PROTECT, related_name="citations", verbose_name=_("source")
    )
    quote = models.TextField(_("quote"), help_text=_("Copied verbatim from the source's text."))
    content_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, verbose_name=_("record type")
    )
    object_id = models.PositiveBigIntegerField(_("record id"))
    content_object = GenericForeignKey("content_type", "object_id")
    field_name = models.CharField(
        _("field"),
        max_length=64,
        blank=True,
        help_text=_("The field this quote backs, when it backs one field rather than the record."),
    )
    note = models.TextField(
        _("note"),
        blank=True,
        help_text=_("How the record follows from the quote, e.g. how a date was inferred."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True, db_index=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("citation")
        verbose_name_plural = _("citations")
        ordering = ["source_id", "id"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="citation_target_idx")]
        constraints = [
            CITATION_KEY.constraint(),
            models.CheckConstraint(
                condition=~models.Q(quote=""), name="sources_citation_quote_not_empty"
            ),
        ]

    def __str__(self):
        quote = self.quote if len(self.quote) <= 80 else self.quote[:77] + "…"
        return f"“{quote}” — {self.source}" if self.source_id else f"“{quote}”"

    def clean(self):
        super().clean()
        if not self.quote or not self.quote.strip():
            raise ValidationError({"quote": _("A citation needs a quote from its source.")})
        # A dataset has no text to search: its citations name it (a row, a table) unchecked.
        if self.source_id and not self.source.is_dataset and self.quote not in self.source.text:
            raise ValidationError(
                {
                    "quote": _(
                        "This quote does not appear in the source '%(source)s'. Copy the "
                        "passage exactly as the article writes it, including punctuation."
                    )
                    % {"source": self.source.title}
                }
            )
        if self.field_name and self.content_type_id:
            model = self.content_type.model_class()
            if model is not None:
                names = {f.name for f in options(model).get_fields()}
                if self.field_name not in names:
                    raise ValidationError(
                        {
                            "field_name": _("%(model)s has no field named '%(field)s'.")
                            % {"model": options(model).verbose_name, "field": self.field_name}
                        }
                    )

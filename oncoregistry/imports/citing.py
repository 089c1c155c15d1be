"""Each row's source and quote: checked against the source's text, written as the record's
citation, and exported as the record's first citation."""

from django.utils.translation import gettext_lazy as _

from oncoregistry.sources.models import Citation

from .columns import QUOTE, SOURCE, TextWidget
from .writes import import_write


class RowCitations:
    """A row's ``source`` and ``quote`` columns (``RegistryResource``)."""

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

    def has_citation(self, instance, row):
        source = self.sources.get(str(row.get(SOURCE) or "").strip())
        quote = TextWidget().clean(row.get(QUOTE))
        if source is None or not quote or instance.pk is None:
            return True
        return (instance.pk, source.pk, quote) in self.cited

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

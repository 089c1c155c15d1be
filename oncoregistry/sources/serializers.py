"""API representations of sources (articles) and citations (quoted passages)."""

from urllib.parse import urlencode

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from oncoregistry.api import (
    CitationInlineSerializer,
    PartialDateField,
    RecordUrlField,
    RelatedRefField,
    absolute_reverse,
)

from .models import Citation, Source

#: API route of each cited model that has one (model name → router basename).
RECORD_ROUTES = {
    "region": "region",
    "organization": "organization",
    "equipment": "equipment",
    "metric": "metric",
    "capacityfigure": "capacity-figure",
    "designation": "designation",
    "therapy": "therapy",
    "cancertype": "cancer-type",
    "therapyoffering": "therapy-offering",
    "agreement": "agreement",
    "funding": "funding",
}


class CitationsField(serializers.Field):
    """A record's citations: read as the inline citations (source, quote, field, note);
    written as ``[{source: <source slug>, quote, field?, note?}]``, each quote checked to
    appear verbatim in its source, or a 400 naming ``citations``. Written citations are
    added to the record (with the change, when it is a proposed one)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def to_representation(self, value):
        return CitationInlineSerializer(value.all(), many=True, context=self.context).data

    def to_internal_value(self, data):
        if not isinstance(data, list):
            raise serializers.ValidationError(
                _("Give the citations as a list of {source, quote} objects.")
            )
        found, problems = [], []
        for index, item in enumerate(data, start=1):
            if not isinstance(item, dict):
                problems.append(_("#%(n)s: give {source, quote}.") % {"n": index})
                continue
            slug = item.get("source")
            if isinstance(slug, dict):  # as read back: {slug, url, name}
                slug = slug.get("slug")
            quote = item.get("quote")
            source = (
                Source.objects.filter(slug=slug).first()
                if isinstance(slug, str) and slug
                else None
            )
            if source is None:
                problems.append(
                    _("#%(n)s: no source has the slug %(slug)r.") % {"n": index, "slug": slug}
                )
            elif not isinstance(quote, str) or not quote.strip():
                problems.append(_("#%(n)s: a citation needs a quote.") % {"n": index})
            elif not source.is_dataset and quote.strip() not in source.text:
                problems.append(
                    _(
                        "#%(n)s: the quote does not appear in the source '%(source)s'; copy "
                        "the passage exactly as it is written there."
                    )
                    % {"n": index, "source": source.title}
                )
            else:
                found.append(
                    {
                        "source": source,
                        "quote": quote.strip(),
                        "field_name": str(item.get("field") or ""),
                        "note": str(item.get("note") or ""),
                    }
                )
        if problems:
            raise serializers.ValidationError(problems)
        return found


class CitationsFieldExtension(OpenApiSerializerFieldExtension):
    target_class = CitationsField

    def map_serializer_field(self, auto_schema, direction):
        if direction == "request":
            return {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "source": {"type": "string", "description": "Slug of the source."},
                        "quote": {
                            "type": "string",
                            "minLength": 1,
                            "description": "Copied verbatim from the source's text.",
                        },
                        "field": {"type": "string"},
                        "note": {"type": "string"},
                    },
                    "required": ["source", "quote"],
                },
            }
        inline = auto_schema.resolve_serializer(CitationInlineSerializer, direction)
        return {"type": "array", "items": inline.ref}


class ReasonMixin(serializers.ModelSerializer):
    """A detail serializer as editors write it: with the ``reason`` for the change (required
    for a published record, whose change is then proposed for review)."""

    reason = serializers.CharField(
        write_only=True,
        required=False,
        allow_blank=True,
        max_length=2000,
        help_text=_(
            "Why the record changes; required for a published record, whose change is "
            "then held for a reviewer."
        ),
    )
    write_extras = ("reason",)

    def get_field_names(self, declared_fields, info):
        names = list(super().get_field_names(declared_fields, info))
        return [*names, *(name for name in self.write_extras if name not in names)]


class ReviewedWriteMixin(ReasonMixin):
    """… and the ``citations`` that back the record."""

    citations = CitationsField(required=False)
    write_extras = ("citations", "reason")


class SourceSerializer(serializers.ModelSerializer):
    url = RecordUrlField("source-detail")
    article_url = serializers.URLField(
        source="url", required=False, allow_blank=True, max_length=500
    )
    date = PartialDateField(required=False)

    class Meta:
        model = Source
        fields = [
            "url",
            "slug",
            "title",
            "publisher",
            "article_url",
            "language",
            "date",
            "updated_at",
        ]


class SourceDetailSerializer(ReasonMixin, SourceSerializer):
    citations_url = serializers.SerializerMethodField()

    class Meta(SourceSerializer.Meta):
        fields = [
            *SourceSerializer.Meta.fields,
            "kind",
            "seed_file",
            "text",
            "provenance",
            "citations_url",
            "created_at",
        ]

    def get_citations_url(self, source) -> str:
        base = absolute_reverse("citation-list", request=self.context.get("request"))
        return f"{base}?{urlencode({'source': source.slug})}"


@extend_schema_field(
    {
        "type": "object",
        "properties": {
            "type": {"type": "string"},
            "slug": {"type": "string", "nullable": True},
            "url": {"type": "string", "format": "uri", "nullable": True},
            "name": {"type": "string"},
        },
        "required": ["type", "slug", "url", "name"],
    }
)
class CitedRecordField(serializers.Field):
    """The record a citation backs: its type, slug, API URL and name."""

    def __init__(self, **kwargs):
        kwargs["source"] = "*"
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, citation):
        record = citation.content_object
        model_name = citation.content_type.model
        slug = getattr(record, "slug", None)
        route = RECORD_ROUTES.get(model_name)
        url = None
        if record is not None and slug and route:
            url = absolute_reverse(
                f"{route}-detail", kwargs={"slug": slug}, request=self.context.get("request")
            )
        name = getattr(record, "name", None) or getattr(record, "title", None) or slug or ""
        return {"type": model_name, "slug": slug, "url": url, "name": str(name)}


class CitationSerializer(serializers.ModelSerializer):
    url = RecordUrlField("citation-detail", lookup_field="pk")
    source = RelatedRefField(view_name="source-detail", name_attr="title", read_only=True)
    record = CitedRecordField()
    field = serializers.CharField(source="field_name", read_only=True)

    class Meta:
        model = Citation
        fields = ["url", "id", "source", "record", "field", "quote", "note", "updated_at"]
        read_only_fields = fields


"""API representations of sources (articles) and citations (quoted passages)."""

from urllib.parse import urlencode

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from oncoregistry.api import PartialDateField, RecordUrlField, RelatedRefField, absolute_reverse

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


class SourceDetailSerializer(SourceSerializer):
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

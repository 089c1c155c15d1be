from rest_framework import serializers

from oncoregistry.api import RecordUrlField, RelatedRefField

from .models import Commitment


def ref(view_name, name_attr="display_name"):
    return RelatedRefField(view_name=view_name, name_attr=name_attr, read_only=True)


class CommitmentSerializer(serializers.ModelSerializer):
    url = RecordUrlField("commitment-detail")
    name = serializers.CharField(source="display_name", read_only=True)
    organization = ref("organization-detail")
    region = ref("region-detail")
    source = ref("source-detail", name_attr="title")
    due_display = serializers.CharField(read_only=True)

    class Meta:
        model = Commitment
        fields = [
            "url",
            "slug",
            "kind",
            "name",
            "detail",
            "target_value",
            "target_qualifier",
            "target_unit",
            "organization",
            "region",
            "modality",
            "record_type",
            "record_slug",
            "due_year",
            "due_month",
            "due_day",
            "due_precision",
            "due_qualifier",
            "due_display",
            "due_by",
            "status",
            "delivered_on",
            "status_on",
            "source",
            "quote",
            "updated_at",
        ]
        read_only_fields = fields

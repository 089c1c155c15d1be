"""API representations: light ones for lists (and CSV), full ones with citations for detail."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from oncoregistry.api import (
    CitationInlineSerializer,
    PartialDateField,
    RecordUrlField,
    RelatedRefField,
)
from oncoregistry.sources.serializers import ReviewedWriteMixin

from .models import CapacityFigure, Designation, Equipment, Metric, Organization, Region


def organization_ref(**kwargs):
    kwargs.setdefault("queryset", Organization.objects.all())
    return RelatedRefField(view_name="organization-detail", name_attr="display_name", **kwargs)


@extend_schema_field({"type": "array", "items": {"type": "string"}})
class AliasesField(serializers.Field):
    """Aliases are stored one per line and shown as a list of names."""

    def to_representation(self, value):
        return [line.strip() for line in value.splitlines() if line.strip()]

    def to_internal_value(self, data):
        if isinstance(data, str):
            data = data.splitlines()
        if not isinstance(data, list) or not all(isinstance(name, str) for name in data):
            raise serializers.ValidationError("Give the aliases as a list of names.")
        return "\n".join(name.strip() for name in data if name.strip())


class RegionSerializer(serializers.ModelSerializer):
    url = RecordUrlField("region-detail")

    class Meta:
        model = Region
        fields = [
            "url",
            "slug",
            "name",
            "name_ru",
            "name_kk",
            "kind",
            "administrative_center",
            "latitude",
            "longitude",
            "updated_at",
        ]


class RegionDetailSerializer(RegionSerializer):
    citations = CitationInlineSerializer(many=True, read_only=True)

    class Meta(RegionSerializer.Meta):
        fields = [*RegionSerializer.Meta.fields, "grid_row", "grid_col", "created_at", "citations"]


class OrganizationSerializer(serializers.ModelSerializer):
    url = RecordUrlField("organization-detail")
    aliases = AliasesField(required=False)
    region = RelatedRefField(
        view_name="region-detail",
        name_attr="display_name",
        queryset=Region.objects.all(),
        required=False,
        allow_null=True,
    )
    parent = organization_ref(required=False, allow_null=True)

    class Meta:
        model = Organization
        fields = [
            "url",
            "slug",
            "name",
            "short_name",
            "aliases",
            "kind",
            "status",
            "parent",
            "country",
            "region",
            "city",
            "latitude",
            "longitude",
            "website",
            "updated_at",
        ]


class OrganizationIdentifierSerializer(serializers.Serializer):
    system = serializers.CharField(read_only=True)
    value = serializers.CharField(read_only=True)


class OrganizationDetailSerializer(ReviewedWriteMixin, OrganizationSerializer):
    units = organization_ref(many=True, read_only=True, queryset=None)
    identifiers = OrganizationIdentifierSerializer(many=True, read_only=True)

    class Meta(OrganizationSerializer.Meta):
        fields = [
            *OrganizationSerializer.Meta.fields,
            "name_ru",
            "name_kk",
            "description",
            "units",
            "identifiers",
            "created_at",
            "citations",
        ]


class EquipmentSerializer(serializers.ModelSerializer):
    url = RecordUrlField("equipment-detail")
    organization = organization_ref()
    manufacturer = organization_ref(required=False, allow_null=True)
    count_display = serializers.CharField(read_only=True)

    class Meta:
        model = Equipment
        fields = [
            "url",
            "slug",
            "name",
            "category",
            "organization",
            "manufacturer",
            "model_name",
            "count",
            "count_qualifier",
            "count_display",
            "features",
            "status",
            "updated_at",
        ]


class EquipmentDetailSerializer(ReviewedWriteMixin, EquipmentSerializer):
    class Meta(EquipmentSerializer.Meta):
        fields = [*EquipmentSerializer.Meta.fields, "notes", "created_at", "citations"]


class MetricSerializer(serializers.ModelSerializer):
    url = RecordUrlField("metric-detail")

    class Meta:
        model = Metric
        fields = ["url", "slug", "name", "name_ru", "name_kk", "unit", "description", "updated_at"]


class MetricDetailSerializer(ReviewedWriteMixin, MetricSerializer):
    class Meta(MetricSerializer.Meta):
        fields = [*MetricSerializer.Meta.fields, "created_at", "citations"]


class CapacityFigureSerializer(serializers.ModelSerializer):
    url = RecordUrlField("capacity-figure-detail")
    organization = organization_ref()
    metric = RelatedRefField(
        view_name="metric-detail", name_attr="display_name", queryset=Metric.objects.all()
    )
    value_display = serializers.CharField(read_only=True)
    date = PartialDateField(required=False)

    class Meta:
        model = CapacityFigure
        fields = [
            "url",
            "slug",
            "organization",
            "metric",
            "value",
            "qualifier",
            "value_display",
            "kind",
            "period",
            "period_months",
            "date",
            "updated_at",
        ]


class CapacityFigureDetailSerializer(ReviewedWriteMixin, CapacityFigureSerializer):
    class Meta(CapacityFigureSerializer.Meta):
        fields = [*CapacityFigureSerializer.Meta.fields, "notes", "created_at", "citations"]


class DesignationSerializer(serializers.ModelSerializer):
    url = RecordUrlField("designation-detail")
    organization = organization_ref()
    awarding_body = organization_ref()
    date = PartialDateField(required=False)

    class Meta:
        model = Designation
        fields = [
            "url",
            "slug",
            "title",
            "organization",
            "awarding_body",
            "status",
            "date",
            "updated_at",
        ]


class DesignationDetailSerializer(ReviewedWriteMixin, DesignationSerializer):
    class Meta(DesignationSerializer.Meta):
        fields = [*DesignationSerializer.Meta.fields, "notes", "created_at", "citations"]

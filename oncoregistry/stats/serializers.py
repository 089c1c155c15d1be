from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .models import StatisticSnapshot
from .services import statistic_freshness


class FreshnessSerializer(serializers.Serializer):
    age_seconds = serializers.IntegerField(help_text="Seconds since the aggregate was computed.")
    stale = serializers.BooleanField(
        help_text="True when older than twice the scheduled refresh interval, or when it "
        "misses a registry change older than the debounce plus a refresh's time."
    )
    missing_changes_since = serializers.DateTimeField(
        allow_null=True,
        help_text="The newest registry change the aggregate does not include yet (null when "
        "it includes them all).",
    )


class StatisticSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="statistic-detail", lookup_field="key")
    freshness = serializers.SerializerMethodField()
    payload = serializers.JSONField(
        help_text="The aggregate; its shape per key is declared in stats/statistics/<key>.py."
    )

    class Meta:
        model = StatisticSnapshot
        fields = ["url", "key", "computed_at", "data_updated_at", "freshness", "payload"]
        read_only_fields = fields

    @extend_schema_field(FreshnessSerializer)
    def get_freshness(self, snapshot):
        freshness = statistic_freshness(
            snapshot.computed_at,
            data_updated_at=snapshot.data_updated_at,
            registry_changed_at=self.context.get("registry_changed_at"),
        )
        return FreshnessSerializer(freshness).data

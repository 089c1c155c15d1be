from django.contrib import admin

from .models import StatisticSnapshot


@admin.register(StatisticSnapshot)
class StatisticSnapshotAdmin(admin.ModelAdmin):
    """Read-only: snapshots are written by the refresh service, never by hand."""

    list_display = ("key", "computed_at", "data_updated_at")
    search_fields = ("key",)
    readonly_fields = ("key", "payload", "computed_at", "data_updated_at")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

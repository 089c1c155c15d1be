from django.db import models
from django.utils.translation import gettext_lazy as _


class StatisticSnapshot(models.Model):
    """One aggregate, as last computed by the refresh service (written in one transaction)."""

    key = models.SlugField(_("key"), max_length=80, unique=True)
    payload = models.JSONField(_("payload"))
    computed_at = models.DateTimeField(_("computed at"))
    data_updated_at = models.DateTimeField(
        _("newest data change"),
        null=True,
        blank=True,
        help_text=_("The newest updated_at among the records the aggregate was computed from."),
    )

    class Meta:
        verbose_name = _("statistic snapshot")
        verbose_name_plural = _("statistic snapshots")
        ordering = ["key"]

    def __str__(self):
        return f"{self.key} @ {self.computed_at:%Y-%m-%d %H:%M}"

from django.core.files.storage import storages
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def release_storage():
    """Where release files are kept (``STORAGES["releases"]``: MEDIA_ROOT/releases by default)."""
    return storages["releases"]


class Release(models.Model):
    """One dated, versioned bundle of the whole published registry."""

    version = models.PositiveIntegerField(_("version"), unique=True)
    created_at = models.DateTimeField(_("built"), default=timezone.now)
    registry_changed_at = models.DateTimeField(
        _("registry as of"),
        null=True,
        help_text=_("The newest change (creation, edit or deletion) the release includes."),
    )
    #: the zip's name in ``release_storage()`` (read at use, so the storage can be reconfigured)
    file = models.CharField(_("file"), max_length=200)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256 of the zip"), max_length=64)
    counts = models.JSONField(_("records per resource"), default=dict)
    build_seconds = models.FloatField(_("build time (s)"), default=0)

    class Meta:
        verbose_name = _("release")
        verbose_name_plural = _("releases")
        ordering = ["-version"]

    def __str__(self):
        return f"{self.version} ({self.created_at:%Y-%m-%d})"

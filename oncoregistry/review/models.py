"""A change proposed to a published record: held here until a reviewer (another person)
approves it, which applies it to the record, or rejects it, which keeps it with the comment."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import transition
from simple_history.models import HistoricalRecords

from oncoregistry.core.publication import StateField


class ChangeState(models.TextChoices):
    PENDING = "pending", _("pending review")
    APPROVED = "approved", _("approved")
    REJECTED = "rejected", _("rejected")


class ChangeRequestQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(state=ChangeState.PENDING)

    def for_record(self, record):
        return self.filter(
            content_type=ContentType.objects.get_for_model(record), object_id=record.pk
        )


#: The permission that makes a reviewer: approve, reject, publish, send back.
REVIEW_PERMISSION = "review.review_changes"


class ChangeRequest(models.Model):
    """``changes`` maps a field's name to its proposed value, JSON-safe: a relation by its
    primary key, a many-to-many relation as a list of them, dates in ISO form."""

    State = ChangeState

    content_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, verbose_name=_("record type")
    )
    object_id = models.PositiveBigIntegerField(_("record id"))
    record = GenericForeignKey("content_type", "object_id")
    changes = models.JSONField(_("proposed values"), default=dict, encoder=DjangoJSONEncoder)
    citations = models.JSONField(
        _("proposed citations"),
        default=list,
        blank=True,
        help_text=_("New citations to add with the change: source id and quote."),
    )
    base_version = models.CharField(
        _("version it was proposed on"),
        max_length=64,
        help_text=_("The record's version when the change was proposed."),
    )
    reason = models.TextField(_("reason for this change"))
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="proposed_changes",
        verbose_name=_("proposed by"),
    )
    proposed_at = models.DateTimeField(_("proposed at"), auto_now_add=True, db_index=True)
    state = StateField(
        _("state"),
        max_length=10,
        choices=ChangeState.choices,
        default=ChangeState.PENDING,
        db_index=True,
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reviewed_changes",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_comment = models.TextField(_("reviewer's comment"), blank=True)
    history = HistoricalRecords()

    objects = ChangeRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("proposed change")
        verbose_name_plural = _("proposed changes")
        ordering = ["-proposed_at", "-id"]
        permissions = [
            ("review_changes", _("Can approve or reject proposed changes and publish records"))
        ]
        indexes = [
            models.Index(fields=["content_type", "object_id"], name="changerequest_target_idx")
        ]
        constraints = [
            # Four eyes: whoever reviews a change did not propose it.
            models.CheckConstraint(
                condition=~models.Q(reviewed_by=models.F("proposed_by")),
                name="review_changerequest_reviewer_not_proposer",
            ),
            models.CheckConstraint(
                condition=~models.Q(reason=""), name="review_changerequest_reason_not_empty"
            ),
            models.CheckConstraint(
                condition=models.Q(state__in=ChangeState.values),
                name="review_changerequest_state_valid",
            ),
        ]

    def __str__(self):
        return _("Change to %(record)s") % {"record": self.record}

    @property
    def is_pending(self):
        return self.state == ChangeState.PENDING

    @transition(field=state, source=ChangeState.PENDING, target=ChangeState.APPROVED)
    def approve(self):
        """A reviewer applied it to the record (``services.approve``)."""

    @transition(field=state, source=ChangeState.PENDING, target=ChangeState.REJECTED)
    def reject(self):
        """A reviewer refused it; it stays with the comment (``services.reject``)."""

    def api_representation(self):
        return {
            "id": self.pk,
            "state": self.state,
            "changes": self.changes,
            "citations": self.citations,
            "reason": self.reason,
            "base_version": self.base_version,
            "proposed_by": self.proposed_by.get_username() if self.proposed_by else None,
            "proposed_at": self.proposed_at.isoformat() if self.proposed_at else None,
            "review_comment": self.review_comment,
        }

"""The one write entry for admin, API and spreadsheet import, and the reviewers' acts.

* ``record_write``: a new record or a draft is saved at once (and stays unpublished); a
  change to a published record becomes a :class:`ChangeRequest` that the public does not see
  until a reviewer approves it.
* ``submit_for_review``, ``publish``, ``send_back``: a record's way to the public.
* ``approve``, ``reject``: a reviewer's answer to a proposed change.

Nobody approves or publishes their own change: the record's history says who changed it.
"""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from oncoregistry.core.meta import set_change_reason, set_history_user
from oncoregistry.core.publication import PublicationState
from oncoregistry.core.records import (
    StaleRecordError,
    record_lock,
    record_save,
    record_version,
)
from oncoregistry.sources.models import Citation

from .models import REVIEW_PERMISSION, ChangeRequest, ChangeState
from .values import (
    changed_values,
    citation_json,
    citation_values,
    stored_values,
    validate_on_copy,
)

#: django-simple-history's ``history_change_reason`` is a 100-character column.
HISTORY_REASON_LENGTH = 100


def history_reason(text):
    text = " ".join(str(text).split())
    return text if len(text) <= HISTORY_REASON_LENGTH else text[: HISTORY_REASON_LENGTH - 1] + "…"


def is_reviewer(user):
    return user is not None and user.is_active and user.has_perm(REVIEW_PERMISSION)


def require_reviewer(user):
    if not is_reviewer(user):
        raise PermissionDenied(
            _("Only a member of the Reviewers group can approve, reject or publish.")
        )


def add_citations(record, citations, *, user, reason, state, known=None):
    """Saves the citations to ``record`` (one it already has is not added twice); a cited
    source that is still a draft is published with them when ``state`` is published."""
    content_type = ContentType.objects.get_for_model(record)
    for given in citations:
        citation = Citation(
            content_type=content_type,
            object_id=record.pk,
            source=given["source"],
            quote=given["quote"],
            field_name=given["field_name"],
            note=given["note"],
            publication_state=state,
        )
        if (known.keys.find(citation) if known else citation.find_duplicate()) is not None:
            continue
        set_history_user(citation, user)
        record_save(citation, {}, reason=history_reason(reason), known=known)
        if known is not None:
            known.keys.add(citation)
        if state == PublicationState.PUBLISHED and not citation.source.is_published:
            publish_quietly(citation.source, user=user, reason=reason)


def publish_quietly(record, *, user, reason):
    """Publishes what goes with a published record (its citations, their sources)."""
    record.publish()
    set_history_user(record, user)
    set_change_reason(record, history_reason(reason))
    record.save(update_fields=["publication_state", "updated_at"])


# --- The write entry --------------------------------------------------------------------


def record_write(
    instance,
    fields,
    *,
    user,
    reason="",
    expected_version=None,
    citations=(),
    revise_pending=False,
    known=None,
    known_citations=None,
):
    """Write ``fields`` to ``instance`` as ``user``; returns the saved record, or the
    :class:`ChangeRequest` holding the change when ``instance`` is published.

    ``revise_pending``: a published record's change replaces the pending proposal the same
    user made for the same reason (a spreadsheet imported again) instead of adding a second.
    ``known``, ``known_citations``: what a writer of many records read once
    (:class:`~oncoregistry.core.records.Known`), so that the record's and its citations'
    rules are checked without a query each (``record_check``).

    Raises ``ValidationError`` naming the fields at fault (``reason`` when a published
    record's change gives none; ``citations`` for a quote not in its source), or
    :class:`~oncoregistry.core.records.StaleRecordError` when ``expected_version`` is old.
    """
    citations = citation_values(citations)
    if instance.pk is not None and instance.is_published:
        return propose(
            instance,
            fields,
            user=user,
            reason=reason,
            expected_version=expected_version,
            citations=citations,
            revise_pending=revise_pending,
            known=known,
        )
    with transaction.atomic():
        set_history_user(instance, user)
        record = record_save(
            instance,
            fields,
            reason=history_reason(reason),
            expected_version=expected_version,
            known=known,
        )
        add_citations(
            record,
            citations,
            user=user,
            reason=reason,
            state=PublicationState.DRAFT,
            known=known_citations,
        )
    return record


@transaction.atomic
def propose(
    record,
    fields,
    *,
    user,
    reason,
    expected_version=None,
    citations=(),
    revise_pending=False,
    known=None,
):
    """A change to a published record, validated now and held until a reviewer approves.
    With ``revise_pending``, the pending proposal of the same user with the same reason is
    revised (its changes, citations and base version replaced) instead of a second one."""
    reason = (reason or "").strip()
    record_lock(record, expected_version=expected_version)
    changes = changed_values(record, fields)
    if not changes and not citations:
        return record  # nothing would change
    errors = {}
    if not reason:
        errors["reason"] = [
            _(
                "This record is published: say why it should change (for example, which "
                "article gives the new figure), so a reviewer can check it."
            )
        ]
    try:
        validate_on_copy(record, changes, known)
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)
    if revise_pending:
        earlier = (
            pending_changes(record)
            .filter(reason=reason, proposed_by=user)
            .select_for_update()
            .order_by("-proposed_at", "-id")
            .first()
        )
        if earlier is not None:
            earlier.changes = changes
            earlier.citations = citation_json(citations)
            earlier.base_version = record_version(record)
            set_history_user(earlier, user)
            set_change_reason(earlier, history_reason(reason))
            earlier.save(update_fields=["changes", "citations", "base_version"])
            return earlier
    return ChangeRequest.objects.create(
        content_type=ContentType.objects.get_for_model(record),
        object_id=record.pk,
        changes=changes,
        citations=citation_json(citations),
        base_version=record_version(record),
        reason=reason,
        proposed_by=user,
    )


# --- A record's way to the public -----------------------------------------------------


def last_editor(record):
    """The user of the record's newest history entry (None: an import or a script)."""
    entry = record.history.select_related("history_user").first()
    return None if entry is None else entry.history_user


@transaction.atomic
def submit_for_review(record, *, user, reason=""):
    record_lock(record)
    if record.publication_state != PublicationState.DRAFT:
        raise ValidationError(_("Only a draft can be sent for review."))
    record.submit()
    set_history_user(record, user)
    set_change_reason(record, history_reason(reason or _("Sent for review")))
    record.save(update_fields=["publication_state", "updated_at"])
    return record


@transaction.atomic
def publish(record, *, reviewer, comment=""):
    """A reviewer publishes a draft (or a record in review): it needs a citation whose quote
    is in its source, published parents, and a last change made by someone else."""
    require_reviewer(reviewer)
    record_lock(record)
    if record.is_published:
        raise ValidationError(_("This record is already published."))
    if last_editor(record) == reviewer:
        raise ValidationError(
            _(
                "You made the last change to this record: nobody approves their own change. "
                "Another reviewer must publish it."
            )
        )
    record.check_publishable()
    why = history_reason(
        _("Published by %(reviewer)s: %(comment)s")
        % {"reviewer": reviewer.get_username(), "comment": comment or _("checked")}
    )
    for citation in record.citations.select_related("source").exclude(
        publication_state__in=[PublicationState.PUBLISHED, PublicationState.WITHDRAWN]
    ):
        if not citation.source.is_published:
            publish_quietly(citation.source, user=reviewer, reason=why)
        publish_quietly(citation, user=reviewer, reason=why)
    publish_quietly(record, user=reviewer, reason=why)
    return record


@transaction.atomic
def send_back(record, *, reviewer, comment):
    """A reviewer returns a record in review to its editor as a draft, saying why."""
    require_reviewer(reviewer)
    if not (comment or "").strip():
        raise ValidationError({"comment": _("Say what the editor should correct.")})
    record_lock(record)
    if record.publication_state != PublicationState.IN_REVIEW:
        raise ValidationError(_("Only a record in review can be sent back."))
    record.send_back()
    set_history_user(record, reviewer)
    set_change_reason(record, history_reason(_("Sent back: %(comment)s") % {"comment": comment}))
    record.save(update_fields=["publication_state", "updated_at"])
    return record


# --- A reviewer's answer to a proposed change ---------------------------------------------


def locked_pending(change, reviewer):
    require_reviewer(reviewer)
    change.refresh_from_db(from_queryset=ChangeRequest.objects.select_for_update())
    if not change.is_pending:
        raise ValidationError(
            _("This change was already %(state)s.") % {"state": change.get_state_display()}
        )
    if change.proposed_by_id is not None and change.proposed_by_id == reviewer.pk:
        raise ValidationError(
            _(
                "You proposed this change: nobody approves or rejects their own change. "
                "Another reviewer must decide on it."
            )
        )
    return change


def finish(change, reviewer, comment, reason):
    change.reviewed_by = reviewer
    change.reviewed_at = timezone.now()
    change.review_comment = comment
    set_history_user(change, reviewer)
    set_change_reason(change, history_reason(reason))
    change.save()


@transaction.atomic
def approve(change, *, reviewer, comment=""):
    """Applies the change to the record, provided nobody changed the record since it was
    proposed; the record's history says why and who approved it."""
    change = locked_pending(change, reviewer)
    record = change.record
    if record is None:
        raise ValidationError(_("The record this change was proposed for no longer exists."))
    proposer = change.proposed_by.get_username() if change.proposed_by else _("an import")
    why = history_reason(
        _("%(reason)s (proposed by %(proposer)s, approved by %(reviewer)s)")
        % {"reason": change.reason, "proposer": proposer, "reviewer": reviewer.get_username()}
    )
    set_history_user(record, reviewer)
    try:
        record_save(
            record,
            stored_values(record, change.changes),
            reason=why,
            expected_version=change.base_version,
        )
    except StaleRecordError as stale:
        raise ValidationError(
            _(
                "The record was changed by %(who)s at %(when)s, after this change was "
                "proposed, so it cannot be applied as it stands: reject it and ask for the "
                "change to be proposed again on the current version."
            )
            % {
                "who": stale.changed_by or _("an import or a script"),
                "when": stale.changed_at.astimezone(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
            },
            code="stale",
        ) from stale
    add_citations(
        record,
        citation_values(change.citations),
        user=reviewer,
        reason=why,
        state=PublicationState.PUBLISHED,
    )
    change.approve()
    finish(change, reviewer, comment, _("Approved: %(comment)s") % {"comment": comment or "—"})
    return change


@transaction.atomic
def reject(change, *, reviewer, comment):
    """Refuses the change; it stays, with the comment, in the list of proposed changes."""
    if not (comment or "").strip():
        raise ValidationError({"comment": _("Say why the change is rejected.")})
    change = locked_pending(change, reviewer)
    change.reject()
    finish(change, reviewer, comment, _("Rejected: %(comment)s") % {"comment": comment})
    return change


def pending_changes(record):
    return ChangeRequest.objects.for_record(record).filter(state=ChangeState.PENDING)

"""What waits for whom, read from the records' publication state, their history and the
proposed changes (the home of each role in the admin, and its filtered lists).

* **My drafts**: drafts the user created (the record's first history entry is theirs) and
  never sent for review.
* **Sent back to me**: drafts that were in review once (the only way from "in review" back
  to "draft" is a reviewer's send-back) and that the user created or sent for review; and
  the user's proposed changes a reviewer rejected, unless the user has proposed another
  change to the same record since.
* **Waiting for review**: records in review and pending changes, oldest first.
"""

from django.db.models import Count, DateTimeField, Exists, IntegerField, Min, OuterRef, Q, Value

from oncoregistry.core.meta import default_manager, options
from oncoregistry.core.publication import PublicationState

from .models import ChangeRequest, ChangeState

DRAFTS, SENT_BACK, WAITING = "drafts", "sent_back", "waiting"


def history_of(model, user=None, **conditions):
    """``Exists`` of a history entry of the outer record (by ``user``, when given)."""
    history = model.history.model  # django-simple-history's historical model
    entries = default_manager(history).filter(
        **{options(model).pk.name: OuterRef("pk")}, **conditions
    )
    if user is not None:
        entries = entries.filter(history_user=user)
    return Exists(entries)


def record_queue(model, user, queue):
    """The condition a record of ``model`` meets to be in ``queue`` for ``user``."""
    if queue == WAITING:
        return Q(publication_state=PublicationState.IN_REVIEW)
    draft = Q(publication_state=PublicationState.DRAFT)
    created = history_of(model, user, history_type="+")
    was_in_review = history_of(model, publication_state=PublicationState.IN_REVIEW)
    if queue == DRAFTS:
        return draft & created & ~was_in_review
    if queue == SENT_BACK:
        submitted = history_of(model, user, publication_state=PublicationState.IN_REVIEW)
        return draft & was_in_review & (created | submitted)
    raise ValueError(queue)


def change_queue(user, queue):
    """The condition a proposed change meets to be in ``queue`` for ``user``."""
    if queue == WAITING:
        return Q(state=ChangeState.PENDING)
    if queue == SENT_BACK:
        proposed_again = ChangeRequest.objects.filter(
            content_type=OuterRef("content_type"),
            object_id=OuterRef("object_id"),
            proposed_by=user,
            proposed_at__gt=OuterRef("proposed_at"),
        )
        return Q(state=ChangeState.REJECTED, proposed_by=user) & ~Exists(proposed_again)
    raise ValueError(queue)


def work_counts(user, models):
    """``{model: {"drafts": n, "sent_back": n, "waiting": n, "oldest": datetime}}`` for the
    publishable ``models`` and :class:`ChangeRequest`, in one query (a UNION of counts);
    a model with nothing in any queue is absent."""
    models = [*models, ChangeRequest]
    rows = []
    for position, model in enumerate(models):
        at = Value(position, output_field=IntegerField())
        if model is ChangeRequest:
            rows.append(
                ChangeRequest.objects.order_by()
                .filter(
                    Q(state=ChangeState.PENDING) | Q(state=ChangeState.REJECTED, proposed_by=user)
                )
                .annotate(position=at)
                .values("position")
                .annotate(
                    drafts=Value(0, output_field=IntegerField()),
                    sent_back=Count("pk", filter=change_queue(user, SENT_BACK)),
                    waiting=Count("pk", filter=change_queue(user, WAITING)),
                    oldest=Min(
                        "proposed_at",
                        filter=change_queue(user, WAITING),
                        output_field=DateTimeField(),
                    ),
                )
                .values_list("position", "drafts", "sent_back", "waiting", "oldest")
            )
            continue
        rows.append(
            default_manager(model)
            .order_by()
            .filter(publication_state__in=[PublicationState.DRAFT, PublicationState.IN_REVIEW])
            .annotate(position=at)
            .values("position")
            .annotate(
                drafts=Count("pk", filter=record_queue(model, user, DRAFTS)),
                sent_back=Count("pk", filter=record_queue(model, user, SENT_BACK)),
                waiting=Count("pk", filter=record_queue(model, user, WAITING)),
                oldest=Min(
                    "updated_at",
                    filter=record_queue(model, user, WAITING),
                    output_field=DateTimeField(),
                ),
            )
            .values_list("position", "drafts", "sent_back", "waiting", "oldest")
        )
    union = rows[0].union(*rows[1:], all=True) if len(rows) > 1 else rows[0]
    return {
        models[position]: {
            "drafts": drafts,
            "sent_back": sent_back,
            "waiting": waiting,
            "oldest": oldest,
        }
        for position, drafts, sent_back, waiting, oldest in union
    }

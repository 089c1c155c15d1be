"""Publication state of every fact-bearing record: draft → in review → published (→ withdrawn).

The public, the anonymous API, exports and the statistics read ``Model.objects.published()``;
editors read everything. The transitions are declared once here (django-fsm-2) and called only
by the review services in ``oncoregistry.review.services``.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition


class StateField(FSMField):
    """django-fsm-2's state field, written in migrations as the CharField it is in the
    database: each FSMField a migration's model state renders connects one more receiver to
    ``class_prepared``, and ``migrate`` spent half its time calling them
    (docs/performance.md, "The suite's time")."""

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.CharField", args, kwargs


class PublicationState(models.TextChoices):
    DRAFT = "draft", _("draft")
    IN_REVIEW = "in_review", _("in review")
    PUBLISHED = "published", _("published")
    WITHDRAWN = "withdrawn", _("withdrawn")


class PublicationQuerySet(models.QuerySet):
    def published(self):
        return self.filter(publication_state=PublicationState.PUBLISHED)


class PublishableModel(models.Model):
    """A record the public sees only once a reviewer has published it."""

    publication_state = StateField(
        _("publication"),
        max_length=10,
        choices=PublicationState.choices,
        default=PublicationState.DRAFT,
        db_index=True,
    )
    #: A record of this model is published only with a citation whose quote is in its source.
    requires_citation = True

    objects = PublicationQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def is_published(self):
        return self.publication_state == PublicationState.PUBLISHED

    @transition(field=publication_state, source=PublicationState.DRAFT, target="in_review")
    def submit(self):
        """An editor asks for review."""

    @transition(
        field=publication_state,
        source=[PublicationState.DRAFT, PublicationState.IN_REVIEW, PublicationState.WITHDRAWN],
        target=PublicationState.PUBLISHED,
    )
    def publish(self):
        """A reviewer (another person) publishes it; ``records.publication_check`` ran first."""

    @transition(field=publication_state, source="in_review", target=PublicationState.DRAFT)
    def send_back(self):
        """A reviewer rejects it: it goes back to its editor as a draft."""

    @transition(field=publication_state, source="published", target=PublicationState.WITHDRAWN)
    def withdraw(self):
        """Taken off the public registry, kept in history."""

    def publication_problems(self):
        """Plain-words reasons this record cannot be published as it stands (empty: it can)."""
        problems = []
        if self.requires_citation and not any(
            citation.quote and citation.quote in citation.source.text
            for citation in self.citations.select_related("source")
            if citation.publication_state != PublicationState.WITHDRAWN
        ):
            problems.append(
                _(
                    "%(record)s has no citation whose quote appears in its source: add a "
                    "citation (a source and the passage copied from it) before publishing."
                )
                % {"record": self}
            )
        for field in self._meta.concrete_fields:
            target = getattr(field, "related_model", None)
            if not (field.many_to_one and isinstance(target, type)):
                continue
            if not issubclass(target, PublishableModel):
                continue
            related = getattr(self, field.name)
            if related is not None and not related.is_published:
                problems.append(
                    _("%(field)s '%(related)s' is not published yet; publish it first.")
                    % {"field": field.verbose_name.capitalize(), "related": related}
                )
        return problems

    def check_publishable(self):
        problems = self.publication_problems()
        if problems:
            raise ValidationError(problems)

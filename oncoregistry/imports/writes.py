"""An import's write: the registry's one write entry, with the file's name as the reason."""

from django.utils.translation import gettext_lazy as _

from oncoregistry.review.services import history_reason, record_write


def import_reason(file_name):
    """'Import of <file name>', cut to the history's column."""
    return history_reason(_("Import of %(file)s") % {"file": file_name or "?"})


def import_write(instance, changes, *, user, reason, citations=(), **known):
    """The one write of an import is the registry's (``record_write``): a new record is a
    draft; a change to a published record is a proposal a reviewer approves. The same file
    imported again by the same editor revises its pending proposal, never adds a second."""
    return record_write(
        instance,
        changes,
        user=user,
        reason=reason,
        citations=citations,
        revise_pending=True,
        **known,
    )

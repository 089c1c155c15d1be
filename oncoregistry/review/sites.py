"""The admin's home for each role: an editor's drafts and what a reviewer sent back to them,
a reviewer's "waiting for review", oldest first; each line a link to the filtered list."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from oncoregistry.core.sites import TECHNICAL, RegistryAdminSite

from . import selectors, services
from .models import ChangeRequest
from .selectors import DRAFTS, SENT_BACK, WAITING

#: Each queue's heading and what it holds, in the order of the home page.
QUEUES = {
    DRAFTS: (
        _("My drafts"),
        _("Records you created and have not sent for review yet: the public does not see them."),
    ),
    SENT_BACK: (
        _("Sent back to me"),
        _(
            "A reviewer sent these back or rejected your change: read the comment, correct "
            "and send again."
        ),
    ),
    WAITING: (
        _("Waiting for review"),
        _("Oldest first. Nobody approves their own change: another reviewer decides on it."),
    ),
}

CHANGE_LINES = {
    SENT_BACK: _("Your changes a reviewer rejected"),
    WAITING: _("Changes to published records"),
}


class ReviewAdminSite(RegistryAdminSite):
    def home_context(self, request, app_list):
        context = super().home_context(request, app_list)
        from .reviewed_admin import ReviewedAdmin  # it uses admin.site, this site: import late

        entries = [
            model
            for group in app_list
            if group["app_label"] != TECHNICAL
            for model in group["models"]
            if isinstance(self.get_model_admin(model["model"]), ReviewedAdmin)
        ]
        user = request.user
        edits = any(m["perms"].get("add") or m["perms"].get("change") for m in entries)
        reviews = services.is_reviewer(user)
        keys = [
            key for key, shown in ((DRAFTS, edits), (SENT_BACK, edits), (WAITING, reviews)) if shown
        ]
        if not keys:
            return context
        counts = selectors.work_counts(user, [m["model"] for m in entries])
        changes_url = (
            reverse("admin:review_changerequest_changelist", current_app=self.name)
            if user.has_perm("review.view_changerequest")
            else None
        )
        queues = []
        for key in keys:
            lines = [
                {
                    "name": model["name"],
                    "count": counts[model["model"]][key],
                    "since": counts[model["model"]]["oldest"],
                    "url": f"{model['admin_url']}?queue={key}",
                }
                for model in entries
                if counts.get(model["model"], {}).get(key) and model.get("admin_url")
            ]
            changes = counts.get(ChangeRequest, {}).get(key) if key in CHANGE_LINES else 0
            if changes and changes_url:
                lines.append(
                    {
                        "name": CHANGE_LINES[key],
                        "count": changes,
                        "since": counts[ChangeRequest]["oldest"],
                        "url": f"{changes_url}?queue={key}",
                    }
                )
            if key == WAITING:
                lines.sort(key=lambda line: line["since"])
            else:
                for line in lines:
                    line["since"] = None  # only the waiting say since when
            title, help_text = QUEUES[key]
            queues.append(
                {
                    "key": key,
                    "title": title,
                    "help": help_text,
                    "total": sum(line["count"] for line in lines),
                    "lines": lines,
                }
            )
        context["work_queues"] = queues
        return context

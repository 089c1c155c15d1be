"""The reviewers' screens: the proposed changes (:class:`ChangeRequestAdmin`), and for each
the reviewer's screen (the change field by field, the citations behind the record, Approve
and Reject); the review queue: pending changes and records in review, in one page. The base
of every record's admin is ``reviewed_admin.ReviewedAdmin``."""

from django import forms
from django.contrib import admin, messages
from django.contrib.contenttypes.prefetch import GenericPrefetch
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from oncoregistry.core.admin import admin_change_url
from oncoregistry.core.meta import default_manager, options
from oncoregistry.core.publication import PublicationState, PublishableModel

from . import selectors, services
from .diff import field_changes, proposed_citations
from .models import ChangeRequest, ChangeState
from .reviewed_admin import waiting_asked
from .selectors import SENT_BACK, WAITING


class ReviewForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required to reject: say what is wrong, so the editor can correct it."),
    )


def publishable_models():
    from django.apps import apps

    return [
        model
        for model in apps.get_models()
        if issubclass(model, PublishableModel) and not options(model).abstract
    ]


class ChangeQueueFilter(admin.SimpleListFilter):
    """The proposed changes of one of the home page's queues (``?queue=waiting``…)."""

    title = _("your work")
    parameter_name = "queue"

    def lookups(self, request, model_admin):
        return [
            (SENT_BACK, _("Sent back to me")),
            (WAITING, _("Waiting for review (oldest first)")),
        ]

    def queryset(self, request, queryset):
        if self.value() in (SENT_BACK, WAITING):
            return queryset.filter(selectors.change_queue(request.user, self.value()))
        return queryset


@admin.register(ChangeRequest)
class ChangeRequestAdmin(admin.ModelAdmin):
    list_display = (
        "record_title",
        "record_type",
        "summary",
        "proposed_by",
        "proposed_at",
        "state_mark",
        "reviewed_by",
    )
    list_filter = (ChangeQueueFilter, "state", "content_type")
    list_select_related = ("content_type", "proposed_by", "reviewed_by")
    search_fields = ("reason", "review_comment")
    date_hierarchy = None
    list_per_page = 50
    show_full_result_count = False
    change_form_template = "admin/review/changerequest/review.html"

    def get_queryset(self, request):
        # Each kind of record in one query, with what its title names (organisation, metric).
        records = [default_manager(model).select_related() for model in publishable_models()]
        return super().get_queryset(request).prefetch_related(GenericPrefetch("record", records))

    def get_ordering(self, request):
        if waiting_asked(request):
            return ("proposed_at", "id")  # what waits longest comes first
        return super().get_ordering(request)

    def has_add_permission(self, request):
        return False  # a change is proposed from the record's own page

    def has_delete_permission(self, request, obj=None):
        return False  # rejected changes stay, with their comment

    @admin.display(description=_("record"))
    def record_title(self, obj):
        return str(obj.record) if obj.record is not None else "—"

    @admin.display(description=_("record type"), ordering="content_type")
    def record_type(self, obj):
        return str(options(obj.content_type.model_class()).verbose_name).capitalize()

    @admin.display(description=_("changes"))
    def summary(self, obj):
        model = obj.content_type.model_class()
        names = []
        for name in obj.changes:
            field = options(model).get_field(name)
            names.append(str(field.verbose_name))
        if obj.citations:
            names.append(gettext("citations"))
        return ", ".join(names)

    @admin.display(description=_("state"), ordering="state")
    def state_mark(self, obj):
        return format_html(
            '<span class="review-mark review-{}">{}</span>', obj.state, obj.get_state_display()
        )

    def get_urls(self):
        return [
            path(
                "queue/",
                self.admin_site.admin_view(self.queue_view),
                name="review_changerequest_queue",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        change = get_object_or_404(
            ChangeRequest.objects.select_related("content_type", "proposed_by", "reviewed_by"),
            pk=object_id,
        )
        if not self.has_view_or_change_permission(request, change):
            raise PermissionDenied
        can_review = change.is_pending and services.is_reviewer(request.user)
        form = ReviewForm(request.POST if request.method == "POST" else None)
        if request.method == "POST":
            if not can_review:
                raise PermissionDenied
            if form.is_valid():
                comment = form.cleaned_data["comment"]
                try:
                    if "_approve" in request.POST:
                        services.approve(change, reviewer=request.user, comment=comment)
                        done = gettext("Approved: the public now sees the change.")
                    else:
                        services.reject(change, reviewer=request.user, comment=comment)
                        done = gettext("Rejected: the change is kept with your comment.")
                except ValidationError as error:
                    for field, errors in error.update_error_dict({}).items():
                        target = "comment" if field == "comment" else None
                        for message in errors:
                            form.add_error(target, message)
                else:
                    self.message_user(request, done, messages.SUCCESS)
                    return HttpResponseRedirect(reverse("admin:review_changerequest_queue"))
        record = change.record
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Review a proposed change"),
            "opts": options(ChangeRequest),
            "change": change,
            "record": record,
            "record_url": admin_change_url(record) if record is not None else None,
            "rows": field_changes(change) if record is not None else [],
            "citations": (
                list(record.citations.select_related("source")) if record is not None else []
            ),
            "new_citations": proposed_citations(change),
            "form": form,
            "can_review": can_review,
            "own_change": change.proposed_by_id == request.user.pk,
            "has_view_permission": True,
            **(extra_context or {}),
        }
        return TemplateResponse(request, self.change_form_template, context)

    def queue_view(self, request):
        """What waits for a reviewer: pending changes, then records sent for review."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        changes = list(
            self.get_queryset(request)
            .filter(state=ChangeState.PENDING)
            .select_related("content_type", "proposed_by")
            .order_by("proposed_at")
        )
        in_review = []
        for model in publishable_models():
            for record in default_manager(model).filter(
                publication_state=PublicationState.IN_REVIEW
            ):
                in_review.append(
                    {
                        "record": record,
                        "type": str(options(model).verbose_name).capitalize(),
                        "url": admin_change_url(record),
                    }
                )
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Review queue"),
            "opts": options(ChangeRequest),
            "changes": changes,
            "in_review": in_review,
            "is_reviewer": services.is_reviewer(request.user),
        }
        return TemplateResponse(request, "admin/review/changerequest/queue.html", context)

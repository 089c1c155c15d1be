"""``ReviewedAdmin``, the base of every record's admin: a published record's form asks for
the reason and sends the change for review instead of saving it; a draft is saved and can be
submitted for review; reviewers publish or send back from the same page; lists mark drafts
and records with a change pending, and filter by the work waiting for the one asking."""

from django import forms
from django.contrib import admin, messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from oncoregistry.core.admin import admin_change_url
from oncoregistry.core.meta import default_manager, options
from oncoregistry.core.publication import PublicationState
from oncoregistry.sources.admin import CitationInline, RegistryAdmin

from . import selectors, services, values
from .models import ChangeRequest, ChangeState
from .selectors import DRAFTS, SENT_BACK, WAITING

FORM_ONLY = {"record_version", "change_reason", "save_anyway"}

STATE_LABELS = {
    PublicationState.DRAFT: _("Draft"),
    PublicationState.IN_REVIEW: _("In review"),
    PublicationState.PUBLISHED: _("Published"),
    PublicationState.WITHDRAWN: _("Withdrawn"),
}


def record_fields(form, current):
    """``{name: value}`` of the record's own fields whose value in ``form`` differs from the
    saved record's (a history "revert" form starts from an old version, so the form's own
    ``changed_data`` would miss what it restores)."""
    opts = options(current)
    names = {f.name for f in opts.concrete_fields} | {f.name for f in opts.many_to_many}
    # A form field may stand for several of the record's (a partial date for its parts).
    derived = set(getattr(form, "derived_model_fields", ()))
    given = {
        name: value
        for name, value in form.cleaned_data.items()
        if name in names and name not in FORM_ONLY and (name in form.fields or name in derived)
    }
    return {name: given[name] for name in values.changed_values(current, given)}


def reviewed_form(base, obj):
    """``base`` with the "Reason for this change" field, required for a published record."""
    published = obj is not None and obj.is_published

    class ReviewedForm(base):
        change_reason = forms.CharField(
            label=_("Reason for this change"),
            required=False,
            widget=forms.Textarea(attrs={"rows": 2}),
            help_text=_(
                "Required for a published record: say why it changes (for example, which "
                "article gives the new figure). Kept in history."
            ),
        )

        def clean(self):
            cleaned = super().clean()
            if published and not (cleaned.get("change_reason") or "").strip():
                self.add_error(
                    "change_reason",
                    _(
                        "This record is published: say why it should change, so the reviewer "
                        "can check it. Your change is sent for review, not published at once."
                    ),
                )
            return cleaned

    return ReviewedForm


class WorkQueueFilter(admin.SimpleListFilter):
    """The list filtered to one of the home page's queues (``?queue=drafts``…)."""

    title = _("your work")
    parameter_name = "queue"

    def lookups(self, request, model_admin):
        choices = [(DRAFTS, _("My drafts")), (SENT_BACK, _("Sent back to me"))]
        if services.is_reviewer(request.user):
            choices.append((WAITING, _("Waiting for review (oldest first)")))
        return choices

    def queryset(self, request, queryset):
        if self.value() in (DRAFTS, SENT_BACK, WAITING):
            return queryset.filter(
                selectors.record_queue(queryset.model, request.user, self.value())
            )
        return queryset


def waiting_asked(request):
    return request.GET.get(WorkQueueFilter.parameter_name) == WAITING


class ReviewedAdmin(RegistryAdmin):
    """A record's admin with review before publishing (see the module's docstring)."""

    change_form_template = "admin/review/record_change_form.html"

    def get_readonly_fields(self, request, obj=None):
        return (*super().get_readonly_fields(request, obj), "publication_state")

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs["form"] = reviewed_form(kwargs.get("form", self.form), obj)
        return super().get_form(request, obj, change, **kwargs)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if self.fieldsets:
            fieldsets = [*fieldsets, (_("Reason"), {"fields": ["change_reason"]})]
        return fieldsets

    # --- Saving: drafts at once, published records as a proposal -----------------------

    def save_model(self, request, obj, form, change):
        reason = form.cleaned_data.get("change_reason", "")
        if obj.pk is None:
            services.record_write(obj, {}, user=request.user, reason=reason)
            return
        current = default_manager(type(obj)).get(pk=obj.pk)
        fields = record_fields(form, current)
        if current.is_published:
            request.review_pending = (current, reason)
            request.review_result = services.record_write(
                current, fields, user=request.user, reason=reason
            )
            # Its many-to-many values are in the proposal; the form must not write them.
            form.save_m2m = lambda: None
            return
        many_to_many = {f.name for f in options(obj).many_to_many}
        services.record_write(
            current,
            {k: v for k, v in fields.items() if k not in many_to_many},
            user=request.user,
            reason=reason,
        )

    def save_related(self, request, form, formsets, change):
        pending = getattr(request, "review_pending", None)
        if pending is None:
            super().save_related(request, form, formsets, change)
            return
        current, reason = pending
        citations, ignored = [], False
        for formset in formsets:
            if formset.model is CitationInline.model:
                for inline_form in formset.forms:
                    data = getattr(inline_form, "cleaned_data", None) or {}
                    if inline_form.instance.pk is None and data.get("quote"):
                        citations.append(data)
                    elif inline_form.has_changed():
                        ignored = True
            elif formset.has_changed():
                ignored = True
        if citations:
            # The editor's new citations travel with the proposal.
            result = request.review_result
            if isinstance(result, ChangeRequest):
                result.citations += values.citation_json(values.citation_values(citations))
                result.save(update_fields=["citations"])
            else:
                request.review_result = services.record_write(
                    current, {}, user=request.user, reason=reason, citations=citations
                )
        if ignored:
            self.message_user(
                request,
                gettext(
                    "Changes to the lists below the form (existing citations, units, "
                    "figures…) are not part of a proposed change: change those records on "
                    "their own pages."
                ),
                messages.WARNING,
            )

    def construct_change_message(self, request, form, formsets, add=False):
        if getattr(request, "review_pending", None) is not None:
            # Nothing was saved: the admin's log says a change was proposed.
            return "Proposed a change for review."
        return super().construct_change_message(request, form, formsets, add)

    def response_change(self, request, obj):
        result = getattr(request, "review_result", None)
        if isinstance(result, ChangeRequest):
            self.message_user(
                request,
                gettext(
                    "Your change was sent for review. The public keeps seeing the published "
                    "version until a reviewer approves it."
                ),
                messages.SUCCESS,
            )
            return HttpResponseRedirect(
                reverse("admin:review_changerequest_change", args=[result.pk])
            )
        if getattr(request, "review_pending", None) is not None:
            self.message_user(request, gettext("Nothing was changed."), messages.INFO)
            return HttpResponseRedirect(request.path)
        return super().response_change(request, obj)

    # --- Submit, publish, send back ----------------------------------------------------

    def get_urls(self):
        opts = options(self.model)
        return [
            path(
                "<path:object_id>/review/",
                self.admin_site.admin_view(self.review_state_view),
                name=f"{opts.app_label}_{opts.model_name}_review",
            ),
            *super().get_urls(),
        ]

    def review_state_view(self, request, object_id):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        record = get_object_or_404(default_manager(self.model), pk=object_id)
        if not self.has_change_permission(request, record):
            raise PermissionDenied
        action, comment = request.POST.get("action"), request.POST.get("comment", "")
        acts = {
            "submit": (
                lambda: services.submit_for_review(record, user=request.user),
                _("Sent for review: a reviewer will publish it or send it back."),
            ),
            "publish": (
                lambda: services.publish(record, reviewer=request.user, comment=comment),
                _("Published: the public sees it now."),
            ),
            "send_back": (
                lambda: services.send_back(record, reviewer=request.user, comment=comment),
                _("Sent back to its editor as a draft, with your comment."),
            ),
        }
        if action not in acts:
            raise PermissionDenied
        act, done = acts[action]
        try:
            act()
        except (ValidationError, PermissionDenied) as error:
            text = " ".join(getattr(error, "messages", None) or [str(error)])
            self.message_user(request, text, messages.ERROR)
        else:
            self.message_user(request, done, messages.SUCCESS)
        return HttpResponseRedirect(admin_change_url(record))

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            opts = options(self.model)
            context["review"] = {
                "state": obj.publication_state,
                "state_label": STATE_LABELS.get(obj.publication_state),
                "url": reverse(f"admin:{opts.app_label}_{opts.model_name}_review", args=[obj.pk]),
                "pending": list(services.pending_changes(obj).select_related("proposed_by")),
                "is_reviewer": services.is_reviewer(request.user),
                "problems": [] if obj.is_published else obj.publication_problems(),
            }
        return super().render_change_form(request, context, add, change, form_url, obj)

    # --- Lists: drafts and pending changes marked ------------------------------------

    def get_queryset(self, request):
        pending = ChangeRequest.objects.filter(
            content_type=ContentType.objects.get_for_model(self.model),
            object_id=OuterRef("pk"),
            state=ChangeState.PENDING,
        )
        return super().get_queryset(request).annotate(change_pending=Exists(pending))

    def get_list_display(self, request):
        return (*super().get_list_display(request), "review_status")

    def get_list_filter(self, request):
        return (WorkQueueFilter, *super().get_list_filter(request))

    def get_ordering(self, request):
        if waiting_asked(request):
            return ("updated_at", "pk")  # what waits longest comes first
        return super().get_ordering(request)

    @admin.display(description=_("review"), ordering="publication_state")
    def review_status(self, obj):
        label = STATE_LABELS.get(obj.publication_state, obj.publication_state)
        if getattr(obj, "change_pending", False):
            return format_html(
                '<span class="review-mark review-pending">{}</span>',
                gettext("%(state)s, change pending") % {"state": label},
            )
        css = "review-published" if obj.is_published else "review-draft"
        return format_html('<span class="review-mark {}">{}</span>', css, label)


# --- The proposed changes -----------------------------------------------------------

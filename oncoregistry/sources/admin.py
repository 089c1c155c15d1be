from django import forms
from django.contrib import admin
from django.contrib.contenttypes.admin import GenericTabularInline
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404, JsonResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from oncoregistry.core.admin import (
    DATE_FIELDSET,
    DuplicateLinkForm,
    PartialDateAdminMixin,
    RecordVersionForm,
)
from oncoregistry.core.meta import options

from .models import Citation, Source

#: Fields a citation never backs: the record's bookkeeping, not its facts.
UNCITED_FIELDS = {"slug", "publication_state", "created_at", "updated_at", "search_text"}


def field_choices(model):
    """The record's own fields by their labels ("Value", "Kind"…), the whole record first."""
    choices = [("", _("The whole record"))]
    for field in options(model).get_fields():
        if field.concrete and not field.auto_created and field.name not in UNCITED_FIELDS:
            choices.append((field.name, str(field.verbose_name).capitalize()))
    return choices


class CitationInline(GenericTabularInline):
    """The passages that back a record; the quote is checked against its source on save."""

    model = Citation
    form = DuplicateLinkForm
    fields = ("source", "quote", "field_name", "note")
    autocomplete_fields = ("source",)
    extra = 0
    verbose_name = _("citation")
    verbose_name_plural = _("citations (sources backing this record)")

    class Media:
        # Choosing a source shows its text; a passage selected there fills the quote.
        js = ("admin/js/jquery.init.js", "js/citation_quotes.js")

    def get_formset(self, request, obj=None, **kwargs):
        # The field is chosen by its label from the record's own fields, not typed as code.
        formset = super().get_formset(request, obj, **kwargs)
        field = formset.form.base_fields["field_name"]
        formset.form.base_fields["field_name"] = forms.ChoiceField(
            label=field.label,
            help_text=field.help_text,
            required=False,
            choices=field_choices(self.parent_model),
        )
        quote = formset.form.base_fields.get("quote")
        if quote is not None:
            quote.widget.attrs.update(quote_helper_attrs())
        return formset


def quote_helper_attrs():
    """What static/js/citation_quotes.js needs, on the quote's textarea: where a source's
    text is read, and its words in the page's language (no script catalogue needed)."""
    return {
        "class": "vLargeTextField citation-quote",
        "data-source-text-url": reverse("admin:sources_source_text"),
        "data-label-title": _("Text of the source"),
        "data-label-help": _(
            "Select the passage that says it, in the text below: it becomes the quote of "
            "citation %(number)s. The quote is checked against the source when you save."
        ),
        "data-label-use": _("Use the selected passage"),
        "data-label-filled": _("The quote of citation %(number)s is the selected passage."),
        "data-label-loading": _("Reading the source…"),
        "data-label-failed": _("The source's text could not be read; copy the passage by hand."),
        "data-label-dataset": _(
            "This source is a dataset, with no text kept: say in the quote which table or row "
            "gives the figure."
        ),
    }


class RegistryAdmin(SimpleHistoryAdmin):
    """Base for record models: history with revert, timestamps shown, slug from the name."""

    form = RecordVersionForm
    inlines = (CitationInline,)
    readonly_fields = ("created_at", "updated_at")
    list_per_page = 50
    save_on_top = True
    show_full_result_count = False

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if self.fieldsets and obj is not None:
            # The form's hidden version travels with it; a declared layout must name it.
            fieldsets = [*fieldsets, (None, {"fields": ["record_version"], "classes": ["hidden"]})]
        return fieldsets


class SourceCitationInline(admin.TabularInline):
    model = Citation
    fields = ("content_type", "object_id", "field_name", "quote")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True
    classes = ["collapse"]
    verbose_name_plural = _("citations quoting this source (edit them on their records)")

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("content_type")


@admin.register(Source)
class SourceAdmin(PartialDateAdminMixin, SimpleHistoryAdmin):
    list_display = (
        "title",
        "publisher",
        "language",
        "date_display",
        "citation_count",
        "updated_at",
    )
    list_filter = ("kind", "language", "publisher", "date_precision")
    search_fields = ("title", "publisher", "text", "slug")
    prepopulated_fields = {"slug": ("title",)}
    readonly_fields = ("created_at", "updated_at")
    inlines = (SourceCitationInline,)
    fieldsets = (
        (None, {"fields": ("title", "slug", "kind", "publisher", "url", "language", "seed_file")}),
        DATE_FIELDSET,
        (_("Full text"), {"fields": ("text",)}),
        (_("Provenance (datasets)"), {"fields": ("provenance",)}),
        (_("Record"), {"fields": ("created_at", "updated_at")}),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(citation_total=Count("citations"))

    def get_urls(self):
        return [
            path("text/", self.admin_site.admin_view(self.text_view), name="sources_source_text"),
            *super().get_urls(),
        ]

    def text_view(self, request):
        """A source's title and text as JSON (``?id=``), for quoting it in a citation;
        signed-in staff who may view sources only (the admin's own check comes first)."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        given = request.GET.get("id", "")
        source = Source.objects.filter(pk=given).first() if given.isdigit() else None
        if source is None:
            raise Http404("No such source.")
        return JsonResponse(
            {
                "id": source.pk,
                "title": source.title,
                "text": source.text,
                "dataset": source.is_dataset,
            }
        )

    @admin.display(description=_("citations"), ordering="citation_total")
    def citation_count(self, obj):
        return obj.citation_total


@admin.register(Citation)
class CitationAdmin(SimpleHistoryAdmin):
    form = DuplicateLinkForm
    list_display = (
        "short_quote",
        "source",
        "content_type",
        "object_id",
        "field_name",
        "updated_at",
    )
    list_filter = ("content_type", "source")
    list_select_related = ("source", "content_type")
    search_fields = ("quote", "note", "source__title")
    autocomplete_fields = ("source",)
    fields = ("source", "quote", "content_type", "object_id", "field_name", "note")

    @admin.display(description=_("quote"))
    def short_quote(self, obj):
        return obj.quote if len(obj.quote) <= 90 else obj.quote[:87] + "…"

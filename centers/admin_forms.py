"""The organisation form's pieces: its inlines (units, equipment, capacity figures,
designations, identifiers), its form and the merge form; ``admin.py`` registers the admins."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from oncoregistry.core.admin import (
    DuplicateLinkForm,
    RecordVersionForm,
    admin_change_url,
)

from . import selectors
from .models import (
    CapacityFigure,
    Designation,
    Equipment,
    Organization,
    OrganizationIdentifier,
)


class UnitInline(admin.TabularInline):
    model = Organization
    form = DuplicateLinkForm
    fk_name = "parent"
    fields = ("name", "slug", "kind", "status", "city", "region")
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("region",)
    extra = 0
    classes = ["collapse"]  # a summary line; opened when the editor needs it
    show_change_link = True
    verbose_name = pgettext_lazy("organisational unit", "unit")
    verbose_name_plural = _("units (organisations that are part of this one)")


class EquipmentInline(admin.TabularInline):
    model = Equipment
    form = DuplicateLinkForm
    fk_name = "organization"
    fields = (
        "name",
        "slug",
        "category",
        "manufacturer",
        "model_name",
        "count",
        "count_qualifier",
        "status",
    )
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("manufacturer",)
    extra = 0
    classes = ["collapse"]  # a summary line; opened when the editor needs it
    show_change_link = True


class CapacityFigureInline(admin.TabularInline):
    model = CapacityFigure
    form = DuplicateLinkForm
    fields = ("slug", "metric", "value", "qualifier", "kind", "period", "period_months")
    autocomplete_fields = ("metric",)
    extra = 0
    classes = ["collapse"]  # a summary line; opened when the editor needs it
    show_change_link = True


class DesignationInline(admin.TabularInline):
    model = Designation
    form = DuplicateLinkForm
    fk_name = "organization"
    fields = ("slug", "title", "awarding_body", "status")
    autocomplete_fields = ("awarding_body",)
    extra = 0
    classes = ["collapse"]  # a summary line; opened when the editor needs it
    show_change_link = True


class IdentifierInline(admin.TabularInline):
    model = OrganizationIdentifier
    fields = ("system", "value")
    extra = 0
    classes = ["collapse"]  # a summary line; opened when the editor needs it


class OrganizationMergeForm(forms.Form):
    keep = forms.ModelChoiceField(
        queryset=Organization.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        label=_("The record that stays"),
    )
    reason = forms.CharField(
        label=_("Why they are one organisation"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Kept in history, e.g. the source that names both."),
    )

    def __init__(self, *args, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["keep"].queryset = Organization.objects.filter(
            pk__in=[o.pk for o in organizations]
        ).order_by("name")


class OrganizationAdminForm(RecordVersionForm):
    """A new organisation whose name reads like one already in the registry (another
    case, punctuation, or Cyrillic for Latin) is shown those first; the editor may still
    save it when it is a different organisation."""

    save_anyway = forms.BooleanField(
        required=False,
        label=_("Save even if similar names exist"),
        help_text=_("Tick only when the organisations listed above are different ones."),
    )

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is not None or cleaned.get("save_anyway"):
            return cleaned
        names = [cleaned.get(f) for f in ("name", "short_name", "name_ru", "name_kk")]
        names += (cleaned.get("aliases") or "").splitlines()
        candidates = selectors.similar_organizations(names)
        if candidates:
            listed = format_html_join(
                "",
                '<li><a href="{}">{}</a> ({})</li>',
                (
                    (admin_change_url(found), found.name, ", ".join(matched))
                    for found, matched in candidates
                ),
            )
            raise ValidationError(
                format_html(
                    "{}<ul>{}</ul>{}",
                    _("This organisation may already be in the registry under a similar name:"),
                    listed,
                    _(
                        "Open it to add what you know there, or tick “Save even if similar "
                        "names exist” below if it is a different organisation."
                    ),
                ),
                code="similar",
            )
        return cleaned

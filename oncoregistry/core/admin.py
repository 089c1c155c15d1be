"""Shared admin pieces that need no app: the site's titles, the partial date's columns, and
the forms that refuse a duplicate (linking to the record that exists) or a stale save.

The record admin with its citations (``RegistryAdmin``) sits one floor up, in sources."""

from django import forms
from django.contrib import admin
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.forms.models import InlineForeignKeyField
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from oncoregistry.core.meta import default_manager, options

from .names import transliterate
from .partial_dates import partial_date_form
from .records import last_change, record_version, stale_message
from .uniqueness import DUPLICATE, duplicates_of


class PartialDateAdminMixin:
    """The 'date' column of record models with a partial date, as people read it, and their
    form's date as one field (year, optional month and day, "Year not stated")."""

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs["form"] = partial_date_form(kwargs.get("form", self.form))
        return super().get_form(request, obj, change, **kwargs)

    @admin.display(description=_("date"), ordering="date")
    def date_display(self, obj):
        return obj.date_display


DATE_FIELDSET = (
    _("Date as the source states it"),
    {
        "fields": ("partial_date", "date_qualifier"),
        "description": _(
            "Fill in only what the source says: a day and month with no year stay without a year."
        ),
    },
)


def admin_change_url(record):
    opts = options(record)
    try:
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[record.pk])
    except NoReverseMatch:
        return None


RELATION_FIELDS = (forms.ModelChoiceField, InlineForeignKeyField)


def slug_candidate(form, cleaned):
    """The slug a record's name (or title) gives, Cyrillic written in Latin; a record without
    a name is named by what it belongs to (its organisation, metric, …) and its year."""
    named = [cleaned.get(f) for f in ("name", "title") if cleaned.get(f)]
    if not named:
        named = [
            getattr(value, "slug", None) or str(value)
            for name, value in cleaned.items()
            if value and isinstance(form.fields.get(name), RELATION_FIELDS)
        ]
        named += [str(cleaned[f]) for f in ("date_year", "order") if cleaned.get(f)]
    longest = options(form.instance).get_field("slug").max_length - 4  # room for "-2"
    return slugify(transliterate(" ".join(str(v) for v in named[:4]).lower()))[:longest]


def unique_slug(model, base, exclude_pk=None):
    """``base``, or ``base-2``, ``base-3``… when another record has it."""
    taken = set(
        default_manager(model)
        .filter(slug__startswith=base)
        .exclude(pk=exclude_pk)
        .values_list("slug", flat=True)
    )
    slug, number = base, 1
    while slug in taken:
        number += 1
        slug = f"{base}-{number}"
    return slug


class DuplicateLinkForm(forms.ModelForm):
    """A duplicate is refused with a link to the record that already says it; the slug is
    filled from the name when the editor leaves it empty."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        slug = self.fields.get("slug")
        if slug is not None:
            slug.required = False
            slug.help_text = _(
                "The record's address in links, e.g. national-research-oncology-center. "
                "Left empty, it is made from the name (Cyrillic written in Latin)."
            )

    def clean(self):
        cleaned = super().clean()
        if "slug" in self.fields and not cleaned.get("slug") and "slug" not in self.errors:
            base = slug_candidate(self, cleaned)
            if base:
                model = type(self.instance)
                cleaned["slug"] = unique_slug(model, base, exclude_pk=self.instance.pk)
        return cleaned

    def add_error(self, field, error):
        if field is None and isinstance(error, ValidationError) and duplicates_of(error):
            error = self.linked(error)
        super().add_error(field, error)

    def linked(self, error):
        linked = []
        for message, existing, _fields in duplicates_of(error):
            url = admin_change_url(existing)
            if url is None:
                linked.append(ValidationError(message, code=DUPLICATE))
            else:
                html = format_html('{} <a href="{}">{}</a>', message, url, _("Open it."))
                linked.append(ValidationError(html, code=DUPLICATE))
        others = {
            field: [e for e in errors if e.code != DUPLICATE]
            for field, errors in error.update_error_dict({}).items()
        }
        others.setdefault(NON_FIELD_ERRORS, []).extend(linked)
        return ValidationError({field: errors for field, errors in others.items() if errors})


class RecordVersionForm(DuplicateLinkForm):
    """Refuses to save a record someone else saved after this form was opened: the form
    carries the version it was opened on, and the editor's input stays on the page."""

    record_version = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None and not self.is_bound:
            self.fields["record_version"].initial = self.current_version()

    def current_version(self):
        # Read from the database: a history "revert" form holds an old copy of the record.
        current = default_manager(type(self.instance)).filter(pk=self.instance.pk).first()
        return None if current is None else record_version(current)

    def clean(self):
        cleaned = super().clean()
        opened_on = cleaned.get("record_version")
        if self.instance.pk is None or not opened_on:
            return cleaned
        current = self.current_version()
        if current is not None and current != opened_on:
            record = default_manager(type(self.instance)).get(pk=self.instance.pk)
            changed_by, changed_at = last_change(record)
            # Shown again with the current version: saving once more replaces theirs.
            data = self.data.copy()
            data[self.add_prefix("record_version")] = current
            self.data = data
            history = reverse(
                f"admin:{options(record).app_label}_{options(record).model_name}_history",
                args=[record.pk],
            )
            raise ValidationError(
                format_html(
                    '{} {} <a href="{}">{}</a>',
                    stale_message(record, changed_by, changed_at),
                    _(
                        "Your changes were not saved and are still in the form below; "
                        "save again to replace theirs with yours."
                    ),
                    history,
                    _("See what they changed."),
                ),
                code="stale",
            )
        return cleaned

"""A partial date in a form as one field: year, optional month, optional day, and "Year not
stated" as a visible choice; the precision is what is filled in, never a default.

* :class:`PartialDateWidget` — the four parts side by side, each with its label.
* :class:`PartialDateField` — checks the parts together and says what is wrong in words.
* :func:`partial_date_form` — a model form of a :class:`~.models.PartialDateModel` with the
  field in place of ``date_year``, ``date_month``, ``date_day`` and ``date_precision``.
"""

import calendar
from typing import NamedTuple

from django import forms
from django.core.exceptions import ValidationError
from django.forms.renderers import get_default_renderer
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from .choices import DatePrecision, DateQualifier
from .models import MONTH_NAMES, stated_precision

#: The model's fields the one form field stands for.
DATE_PARTS = ("date_year", "date_month", "date_day", "date_precision")
FIELD_NAME = "partial_date"


class PartialDate(NamedTuple):
    year: int | None
    month: int | None
    day: int | None
    year_not_stated: bool = False

    @property
    def precision(self):
        return stated_precision(self.year, self.month, self.day)

    def model_values(self):
        return {
            "date_year": self.year,
            "date_month": self.month,
            "date_day": self.day,
            "date_precision": self.precision,
        }


def month_choices():
    return [("", _("— month —")), *((n, MONTH_NAMES[n]) for n in range(1, 13))]


class PartialDateWidget(forms.MultiWidget):
    """Year, month, day and the "Year not stated" box, each part with its own label."""

    labels = (_("Year"), _("Month"), _("Day"), _("Year not stated"))

    def __init__(self, attrs=None):
        widgets = (
            # No placeholder: a greyed year would read as one the source gave.
            forms.NumberInput(attrs={"min": 1900, "max": 2100, "inputmode": "numeric"}),
            forms.Select(choices=month_choices()),
            forms.NumberInput(attrs={"min": 1, "max": 31, "inputmode": "numeric"}),
            forms.CheckboxInput(),
        )
        super().__init__(widgets, attrs)

    def decompress(self, value):
        if value is None:
            return [None, None, None, False]
        return list(value)

    def render(self, name, value, attrs=None, renderer=None):
        renderer = renderer or get_default_renderer()
        context = self.get_context(name, value, attrs)
        subwidgets = context["widget"]["subwidgets"]
        parts = []
        for label, widget, sub in zip(self.labels, self.widgets, subwidgets, strict=True):
            # Django's own template of the part, as its MultiWidget template includes it.
            html = mark_safe(renderer.render(sub["template_name"], {"widget": sub}))
            if isinstance(widget, forms.CheckboxInput):  # the box before its words
                template = (
                    '<label class="partial-date-unstated" for="{}">{} <span>{}</span></label>'
                )
                parts.append(format_html(template, sub["attrs"].get("id"), html, label))
            else:
                template = '<label class="partial-date-part" for="{}"><span>{}</span> {}</label>'
                parts.append(format_html(template, sub["attrs"].get("id"), label, html))
        return format_html(
            '<div class="partial-date" role="group">{}</div>', mark_safe("".join(parts))
        )


class PartialDateField(forms.MultiValueField):
    widget = PartialDateWidget

    def __init__(self, **kwargs):
        year_range = _("The year must be between 1900 and 2100.")
        day_range = _("The day must be between 1 and 31.")
        fields = (
            forms.IntegerField(
                required=False,
                min_value=1900,
                max_value=2100,
                error_messages={
                    "invalid": _("Write the year in digits, e.g. 2024."),
                    "min_value": year_range,
                    "max_value": year_range,
                },
            ),
            forms.TypedChoiceField(
                required=False,
                choices=month_choices(),
                coerce=int,
                empty_value=None,
                error_messages={"invalid_choice": _("Choose the month from the list.")},
            ),
            forms.IntegerField(
                required=False,
                min_value=1,
                max_value=31,
                error_messages={
                    "invalid": _("Write the day in digits, e.g. 30."),
                    "min_value": day_range,
                    "max_value": day_range,
                },
            ),
            forms.BooleanField(required=False),
        )
        kwargs.setdefault("required", False)
        super().__init__(fields, require_all_fields=False, **kwargs)

    def compress(self, data_list):
        if not data_list:
            return PartialDate(None, None, None, False)
        year, month, day, year_not_stated = data_list
        year_not_stated = bool(year_not_stated)
        errors = []
        if year is not None and year_not_stated:
            errors.append(
                _("You wrote a year and ticked “Year not stated”: keep the one the source gives.")
            )
        if day is not None and month is None:
            errors.append(_("A day needs its month: choose the month, or clear the day."))
        if year is None and not year_not_stated and month is not None:
            errors.append(
                _(
                    "Write the year, or tick “Year not stated” when the source gives the day "
                    "or month without one."
                )
            )
        if day is not None and month is not None:
            # 29 February stands when the year is not stated.
            longest = calendar.monthrange(year or 2024, month)[1]
            if day > longest:
                errors.append(
                    _("%(month)s has no day %(day)s.") % {"month": MONTH_NAMES[month], "day": day}
                )
        if errors:
            raise ValidationError(errors)
        return PartialDate(year, month, day, year_not_stated and month is not None)


def partial_date_form(base):
    """``base`` (a model form of a partial-date model) with the one date field; the model's
    date fields are filled from it, and listed in ``derived_model_fields`` for the review's
    comparison with the saved record."""

    class PartialDateForm(base):
        partial_date = PartialDateField(
            label=_("Date"),
            help_text=_(
                "Only what the source says: e.g. 2026 alone, or May 2024, or 30 May with "
                "“Year not stated”. Leave it empty when the source gives no date."
            ),
        )
        derived_model_fields = (*getattr(base, "derived_model_fields", ()), *DATE_PARTS)

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            if FIELD_NAME in self.fields and FIELD_NAME not in self.initial:
                record = self.instance
                self.initial[FIELD_NAME] = PartialDate(
                    record.date_year,
                    record.date_month,
                    record.date_day,
                    record.date_year is None and record.date_month is not None,
                )

        def clean(self):
            date = self.cleaned_data.get(FIELD_NAME)
            if FIELD_NAME in self.fields and isinstance(date, PartialDate):
                for name, value in date.model_values().items():
                    setattr(self.instance, name, value)
                    self.cleaned_data[name] = value
                qualifier = self.cleaned_data.get("date_qualifier")
                if date.precision == DatePrecision.UNKNOWN and qualifier not in (
                    None,
                    "",
                    DateQualifier.ON,
                ):
                    self.add_error(
                        "date_qualifier",
                        _(
                            "“%(qualifier)s” needs a date: write the date the source gives, "
                            "or choose “on”."
                        )
                        % {"qualifier": DateQualifier(qualifier).label},
                    )
            return super().clean()

        def add_error(self, field, error):
            # The model names a date's part (date_year…): the form has one field for them.
            if FIELD_NAME in self.fields:
                if field in DATE_PARTS:
                    field = FIELD_NAME
                elif field is None and hasattr(error, "error_dict"):
                    errors = {}
                    for name, messages in error.update_error_dict({}).items():
                        key = FIELD_NAME if name in DATE_PARTS else name
                        errors.setdefault(key, []).extend(messages)
                    error = ValidationError(errors)
            super().add_error(field, error)

    return PartialDateForm

"""The cells of a registry spreadsheet (django-import-export widgets, adapted): text, numbers,
partial dates, choices by their code, related records by slug; and the ``Column`` helpers a
resource declares its columns with, each with what it means (the data dictionary)."""

import datetime
import decimal

from django.utils.translation import gettext_lazy as _
from import_export import fields, widgets

from oncoregistry.core.choices import DatePrecision, DateQualifier
from oncoregistry.core.meta import default_manager, options

#: The columns every row has besides the record's own.
SOURCE, QUOTE = "source", "quote"


def blank(value):
    return value is None or (isinstance(value, str) and not value.strip())


class TextWidget(widgets.Widget):
    """Text as written; an empty cell is empty text. Line ends are kept as ``\\n``."""

    def clean(self, value, row=None, **kwargs):
        if blank(value):
            return ""
        text = str(value).replace("\r\n", "\n").replace("\r", "\n")
        return text.strip()

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


class NumberWidget(widgets.Widget):
    """A number with a dot for decimals (spaces between thousands allowed): 12000, 1.5."""

    def __init__(self, integer=False, **kwargs):
        self.integer = integer
        super().__init__(**kwargs)

    def clean(self, value, row=None, **kwargs):
        if blank(value):
            return None
        if isinstance(value, bool):
            raise ValueError(_("“%(value)s” is not a number.") % {"value": value})
        text = str(value).strip().replace("\u00a0", "").replace(" ", "")
        try:
            number = decimal.Decimal(text)
        except decimal.InvalidOperation:
            raise ValueError(
                _("“%(value)s” is not a number: write digits, with a dot for decimals (12000.5).")
                % {"value": value}
            ) from None
        if not number.is_finite():
            raise ValueError(_("“%(value)s” is not a number.") % {"value": value})
        if self.integer:
            if number != number.to_integral_value():
                raise ValueError(_("“%(value)s” is not a whole number.") % {"value": value})
            return int(number)
        return number

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        if isinstance(value, decimal.Decimal):
            return f"{value.normalize():f}"
        return str(value)


class DateWidget(widgets.Widget):
    """A whole date, written YYYY-MM-DD (or a date cell of the spreadsheet)."""

    def clean(self, value, row=None, **kwargs):
        if blank(value):
            return None
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        try:
            return datetime.date.fromisoformat(str(value).strip()[:10])
        except ValueError:
            raise ValueError(
                _("“%(value)s” is not a date: write it as YYYY-MM-DD (2024-07-01).")
                % {"value": value}
            ) from None

    def render(self, value, obj=None, **kwargs):
        return value.isoformat() if value else ""


class ChoiceWidget(widgets.Widget):
    """One of a field's codes (``delivered``, ``per_year``); an empty cell takes the default."""

    def __init__(self, choices, default="", **kwargs):
        self.choices = list(choices)
        self.default = default
        super().__init__(**kwargs)

    def clean(self, value, row=None, **kwargs):
        if blank(value):
            return self.default
        text = str(value).strip()
        codes = {code.lower(): code for code, _label in self.choices}
        if text.lower() in codes:
            return codes[text.lower()]
        raise ValueError(
            _("“%(value)s” is not an allowed value here; use one of: %(allowed)s.")
            % {"value": text, "allowed": ", ".join(code for code, _label in self.choices)}
        )

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


class SlugWidget(widgets.ForeignKeyWidget):
    """A foreign key named by the slug of the record it points to. The slugs a file names are
    read in one query per column (``preload``), not one per row."""

    def __init__(self, model, **kwargs):
        super().__init__(model, field="slug", **kwargs)
        self.cache = {}

    def preload(self, values):
        wanted = {str(v).strip() for v in values if not blank(v)} - set(self.cache)
        if not wanted:
            return
        for record in default_manager(self.model).filter(slug__in=wanted):
            self.cache[record.slug] = record
        for slug in wanted:
            self.cache.setdefault(slug, None)

    def clean(self, value, row=None, **kwargs):
        if blank(value):
            return None
        slug = str(value).strip()
        if slug not in self.cache:
            self.preload([slug])
        record = self.cache[slug]
        if record is None:
            raise ValueError(
                _("No %(model)s has the slug “%(slug)s” in the registry.")
                % {"model": options(self.model).verbose_name, "slug": slug}
            )
        return record

    def render(self, value, obj=None, **kwargs):
        return value.slug if value is not None else ""


class SlugListWidget(widgets.ManyToManyWidget):
    """Several records by slug, separated by commas: ``blood-cancers, leukemia``."""

    def __init__(self, model, **kwargs):
        super().__init__(model, separator=",", field="slug", **kwargs)

    def clean(self, value, row=None, **kwargs):
        if blank(value):
            return default_manager(self.model).none()
        slugs = [s.strip() for s in str(value).split(self.separator) if s.strip()]
        found = default_manager(self.model).filter(slug__in=slugs)
        missing = sorted(set(slugs) - {record.slug for record in found})
        if missing:
            raise ValueError(
                _("No %(model)s has the slug “%(slug)s” in the registry.")
                % {"model": options(self.model).verbose_name, "slug": ", ".join(missing)}
            )
        return found

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return ", ".join(sorted(record.slug for record in value.all()))


class Column(fields.Field):
    """A column with what it means, for the template's data dictionary."""

    def __init__(self, *args, meaning="", required=False, **kwargs):
        self.meaning = meaning
        self.required = required
        super().__init__(*args, **kwargs)


def text(attribute, meaning, required=False):
    return Column(
        attribute=attribute,
        column_name=attribute,
        widget=TextWidget(),
        meaning=meaning,
        required=required,
    )


def number(attribute, meaning, integer=False, required=False):
    return Column(
        attribute=attribute,
        column_name=attribute,
        widget=NumberWidget(integer=integer),
        meaning=meaning,
        required=required,
    )


def choice(attribute, choices, meaning, default="", required=False):
    return Column(
        attribute=attribute,
        column_name=attribute,
        widget=ChoiceWidget(choices, default),
        meaning=meaning,
        required=required,
    )


def slug_of(attribute, model, meaning, required=False):
    return Column(
        attribute=attribute,
        column_name=attribute,
        widget=SlugWidget(model),
        meaning=meaning,
        required=required,
    )


def slugs_of(attribute, model, meaning):
    return Column(
        attribute=attribute, column_name=attribute, widget=SlugListWidget(model), meaning=meaning
    )


def partial_date_columns():
    """The five columns of a date as precise as its source: year, month, day, precision and
    qualifier ('by 2026'). An empty precision is taken from the parts filled in."""
    return (
        number("date_year", _("Year the source gives (e.g. 2026); empty if none."), integer=True),
        number("date_month", _("Month 1–12, only when the source gives it."), integer=True),
        number("date_day", _("Day of the month, only when the source gives it."), integer=True),
        choice(
            "date_precision",
            DatePrecision.choices,
            _("How precise the date is. Empty: taken from the parts filled in."),
        ),
        choice(
            "date_qualifier",
            DateQualifier.choices,
            _("'on' the date, or 'by', 'before'… as the source words it. Empty: on."),
            default=DateQualifier.ON,
        ),
    )


DATE_COLUMNS = ("date_year", "date_month", "date_day", "date_precision", "date_qualifier")

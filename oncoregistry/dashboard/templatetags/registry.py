from decimal import Decimal

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from oncoregistry.core.choices import Qualifier
from oncoregistry.core.derived import currency_name, plain_number, qualify
from oncoregistry.core.translation import translated

register = template.Library()


@register.filter
def qualified(fact, currency=None):
    """'up to 330' from a snapshot figure {"value": 330, "qualifier": "up_to"}; with a
    currency, 'over 170,000,000,000 KZT' (the qualifier around the amount and its currency,
    as Kazakh needs: '170 000 000 000 теңгеден астам')."""
    if not isinstance(fact, dict) or fact.get("value") is None:
        return _("not stated")
    value = Decimal(str(fact["value"]))
    return with_currency(snapshot_qualifier(fact), plain_number(value), value, currency)


def with_currency(qualifier, text, last, currency):
    if currency:
        last = currency_name(currency)
        text = f"{text} {last}"
    return qualify(qualifier, text, last)


def snapshot_qualifier(fact):
    """A snapshot figure's qualifier; "mixed" (a total of figures qualified both ways)
    reads "about"."""
    qualifier = fact.get("qualifier", Qualifier.EXACT)
    return Qualifier.ABOUT if qualifier == "mixed" else qualifier


@register.filter
def qualified_compact(fact, currency=None):
    """'at least 170 billion' ('не менее 170 млрд') for a headline card, with the currency
    when given; the exact figure is shown beside it."""
    if not isinstance(fact, dict) or fact.get("value") is None:
        return _("not stated")
    value = float(fact["value"])
    for size, words in ((10**9, _("%(number)s billion")), (10**6, _("%(number)s million"))):
        if abs(value) >= size:
            scaled = value / size
            number = plain_number(round(scaled) if scaled >= 100 else round(scaled, 1))
            # The Kazakh ending follows "миллиард"/"миллион", read last.
            text = words % {"number": number}
            return with_currency(snapshot_qualifier(fact), text, size, currency)
    return qualified(fact, currency)


@register.filter
def number(value):
    """1300 → '1,300' in English, '1 300' in Russian and Kazakh; non-numbers pass through."""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return value
    return plain_number(value)


@register.filter
def currency(code):
    """'KZT' as the reader's language writes it after an amount ('тенге', 'теңге')."""
    return currency_name(code)


@register.filter
def localized(record, field):
    """The record's ``field`` in the reader's language; English standing in for a missing
    translation is marked (lang="en", a visible badge, a tooltip saying so)."""
    text, fallback = translated(record, field)
    if not fallback:
        return text
    return format_html(
        '<span class="untranslated" lang="en" title="{}">{}</span>',
        gettext_lazy("Not translated yet: shown in English"),
        text,
    )


@register.filter
def get(mapping, key):
    if isinstance(mapping, dict):
        return mapping.get(key)
    return None


@register.filter
def percent_of(value, maximum):
    try:
        return max(2, round(100 * float(value) / float(maximum))) if maximum else 0
    except (TypeError, ValueError):
        return 0


@register.inclusion_tag("includes/citations.html")
def sources_for(record):
    """The citations of a record (prefetched by the selector) as links to the source page."""
    return {"citations": list(record.citations.all())}


@register.filter
def qualified_row(row, value_key):
    """A chart row's value with its qualifier when it has one."""
    if "qualifier" in row:
        return qualified({"value": row.get(value_key), "qualifier": row["qualifier"]})
    return row.get(value_key)

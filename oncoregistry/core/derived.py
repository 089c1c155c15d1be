"""Values shown to people, computed from a record's own fields by plain functions.

A model declares ``value_display = Derived(qualified_number, "value", "qualifier")``. On an
instance it reads like a property; the API's compiled lists (``oncoregistry/api/rows.py``)
read which fields it needs and call the same function on a database row, so a list or a
CSV export shows exactly what a page shows without building model instances.

A function that takes ``language`` is given the request's language by a compiled list
(asking Django for the active language cost microseconds per row); on an instance it asks.
"""

from decimal import Decimal

from django.utils import formats, numberformat, translation
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from . import kazakh
from .choices import Qualifier

QUALIFIER_LABELS = dict(Qualifier.choices)
#: Where the qualifier goes around the number is the language's choice: Kazakh writes
#: "330-дан астам" (over 330), the number in the ablative (``kazakh``).
QUALIFIED_PATTERNS = {
    Qualifier.ABOUT: _("about %(number)s"),
    Qualifier.UP_TO: _("up to %(number)s"),
    Qualifier.OVER: _("over %(number)s"),
    Qualifier.AT_LEAST: _("at least %(number)s"),
}
#: How each language names a currency after an amount ("170 млрд тенге"); others keep the code.
CURRENCY_NAMES = {
    "KZT": pgettext_lazy("currency after an amount", "KZT"),
    "USD": pgettext_lazy("currency after an amount", "USD"),
    "EUR": pgettext_lazy("currency after an amount", "EUR"),
    "RUB": pgettext_lazy("currency after an amount", "RUB"),
}
#: language → (decimal separator, thousand separator, grouping): read once per language.
_separators = {}
#: (language, qualifier or currency) → label: gettext per figure was most of a CSV row's
#: display cost.
_translated_labels = {}


class Derived:
    """A read-only attribute: ``function(*(the record's values of fields))``."""

    def __init__(self, function, *fields):
        self.function = function
        self.fields = fields

    def __set_name__(self, owner, name):
        self.name = name

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        return self.function(*[getattr(instance, field) for field in self.fields])

    def __set__(self, instance, value):
        raise AttributeError(f"{self.name} is derived from {', '.join(self.fields)}")


class LocalizedName(Derived):
    """``display_name``: the record's name in the active language when it has one.

    A compiled list reads it as the first non-empty of ``columns_for(language)``."""

    def __init__(self):
        super().__init__(localized_name, "name", "name_ru", "name_kk")

    @staticmethod
    def columns_for(language):
        language = (language or "en")[:2]
        return (f"name_{language}", "name") if language in ("ru", "kk") else ("name",)


def qualifier_label(qualifier, language=None):
    """The qualifier as people read it ("up to"), in the (active) language."""
    if qualifier not in QUALIFIER_LABELS:
        return str(qualifier)
    key = (language or get_language(), qualifier)
    label = _translated_labels.get(key)
    if label is None:
        with translation.override(key[0]):
            label = _translated_labels[key] = str(QUALIFIER_LABELS[qualifier])
    return label


def qualify(qualifier, text, last, language=None):
    """``text`` (a written number, or "170 billion") with its qualifier around it, as the
    language writes it; ``last``, the number or word ``text`` ends with, gives the Kazakh
    ending."""
    if qualifier in (Qualifier.EXACT, None):
        return text
    if qualifier not in QUALIFIED_PATTERNS:
        return f"{qualifier_label(qualifier, language)} {text}"
    key = (language or get_language(), "pattern", qualifier)
    pattern = _translated_labels.get(key)
    if pattern is None:
        with translation.override(key[0]):
            pattern = _translated_labels[key] = str(QUALIFIED_PATTERNS[qualifier])
    if key[0].startswith("kk") and pattern.startswith("%(number)s "):
        # Kazakh's postposition ("330-дан астам") takes the number in the ablative.
        text += kazakh.ablative(last)
    return pattern % {"number": text}


def separators(language=None):
    language = language or get_language() or "en"
    found = _separators.get(language)
    if found is None:
        found = _separators[language] = tuple(
            formats.get_format(name, lang=language, use_l10n=True)
            for name in ("DECIMAL_SEPARATOR", "THOUSAND_SEPARATOR", "NUMBER_GROUPING")
        )
    return found


def plain_number(value, language=None):
    """12000 → '12,000' ('12 000' in Russian and Kazakh); 1.50 → '1.5' ('1,5'): the stated
    digits, no trailing zeros, grouped as the (active) language groups them."""
    number = value if isinstance(value, Decimal) else Decimal(str(value))
    decimal, thousands, grouping = separators(language)
    return numberformat.format(
        f"{number.normalize():f}",
        decimal,
        grouping=grouping,
        thousand_sep=thousands,
        force_grouping=True,
    )


def currency_name(code, language=None):
    """'KZT' as the language writes it after an amount: 'тенге', 'теңге', 'KZT'."""
    if code not in CURRENCY_NAMES:
        return code
    key = (language or get_language(), code)
    name = _translated_labels.get(key)
    if name is None:
        with translation.override(key[0]):
            name = _translated_labels[key] = str(CURRENCY_NAMES[code])
    return name


def qualified_number(value, qualifier, language=None):
    """'about 12,000'; an exact figure is just its number; no value gives ''."""
    if value is None:
        return "" if qualifier == Qualifier.EXACT else qualifier_label(qualifier, language)
    return qualify(qualifier, plain_number(value, language), value, language)


def qualified_count(count, qualifier, language=None):
    """'at least 7'; a count the source does not state says so, never 0 or 1."""
    if count is None:
        return str(_("number not stated"))
    return qualify(qualifier, plain_number(count, language), count, language)


def qualified_amount(amount, currency, qualifier, statement, language=None):
    """'over 170,000,000,000 KZT' ('более 170 000 000 000 тенге'); a relative statement
    ("sixfold") is shown as stated."""
    if amount is None:
        return statement
    currency = currency_name(currency, language)
    # Kazakh: "170 000 000 000 теңгеден астам", the ending joined to the currency's name.
    return qualify(qualifier, f"{plain_number(amount, language)} {currency}", currency, language)


def localized_name(name, name_ru, name_kk, language=None):
    """The record's name in the active language when the registry has one, else its name."""
    language = (language or get_language() or "en")[:2]
    if language == "ru":
        return name_ru or name
    if language == "kk":
        return name_kk or name
    return name

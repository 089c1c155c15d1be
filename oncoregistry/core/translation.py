"""Record text in English, Russian and Kazakh: ``<field>_ru`` and ``<field>_kk`` beside each
English field, and what the reader sees when only another language has it.

A model declares ``description_ru, description_kk = translations(description)``: two blank
copies of the field, named "description (Russian)" and "description (Kazakh)". The English
field is the record's own (the sources are English; translations are entered by editors).
"""

from django.utils.text import format_lazy
from django.utils.translation import get_language, pgettext_lazy

LANGUAGES = ("ru", "kk")
#: "description (in Russian)": how a field label names the language of its copy.
LANGUAGE_NAMES = {
    "ru": pgettext_lazy("field label", "in Russian"),
    "kk": pgettext_lazy("field label", "in Kazakh"),
}


def translations(field):
    """Blank Russian and Kazakh copies of ``field`` (the same kind and length)."""
    copies = []
    for language in LANGUAGES:
        name, path, args, kwargs = field.deconstruct()
        kwargs.update(blank=True, default="")
        for option in ("unique", "db_index", "help_text", "null"):
            kwargs.pop(option, None)
        label = format_lazy("{} ({})", field.verbose_name, LANGUAGE_NAMES[language])
        kwargs["verbose_name"] = label
        copies.append(type(field)(*args, **kwargs))
    return tuple(copies)


def translated(record, field, language=None):
    """(text in the language, whether it is another language's text standing in for it).

    ``record`` is a model instance or a snapshot row (a dict with the same keys)."""
    read = record.get if isinstance(record, dict) else lambda name: getattr(record, name, "")
    english = str(read(field) or "")
    language = (language or get_language() or "en")[:2]
    if language not in LANGUAGES:
        return english, False
    text = read(f"{field}_{language}") or ""
    if text:
        return text, False
    return english, bool(english)

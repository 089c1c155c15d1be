"""Search across scripts: a record is found by its name in English, Russian or Kazakh, typed
in Latin or Cyrillic letters ("Астана" and "Astana"; "Назарбаев" and "Nazarbayev").

A searchable model lists ``search_sources`` (its names in every language, aliases…) and has
a ``search_text`` column holding them as one key: lower case, Cyrillic transliterated to
Latin, and the spellings that differ between transliterations folded together. The column is
kept up to date before every save (fixtures included: ``pre_save``); a query is folded the
same way and matched with a plain ``contains``, so SQLite (whose LIKE folds only ASCII case)
and PostgreSQL answer alike.
"""

import re

from django.db import models
from django.db.models.signals import pre_save

CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh",
    "з": "z", "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu",
    "я": "ya",
    # Kazakh letters, as Kazakhstan's 2021 Latin alphabet and English texts write them.
    "ә": "a", "ғ": "g", "қ": "k", "ң": "n", "ө": "o", "ұ": "u", "ү": "u", "һ": "h", "і": "i",
}  # fmt: skip
# Spellings English texts and transliterations disagree on, folded to one: "Nazarbayev" and
# "Назарбаев" (nazarbaev), "Zhezkazgan" and "Jezkazgan", "Yesil" and "Esil", "Aqtobe".
FOLDS = [("ye", "e"), ("zh", "j"), ("kh", "h"), ("q", "k"), ("ts", "c"), ("iy", "i")]
NOT_A_LETTER = re.compile(r"[^0-9a-z]+")


def search_key(text):
    """'Астана' → 'astana'; 'Nazarbayev University' → 'nazarbaev university'."""
    latin = "".join(CYRILLIC.get(char, char) for char in (text or "").lower())
    for spelled, folded in FOLDS:
        latin = latin.replace(spelled, folded)
    return NOT_A_LETTER.sub(" ", latin).strip()


def search_text_field():
    return models.TextField(editable=False, blank=True, default="")


def fill_search_text(sender, instance, **kwargs):
    sources = getattr(sender, "search_sources", None)
    if sources:
        instance.search_text = " | ".join(
            search_key(str(getattr(instance, field) or "")) for field in sources
        )


def connect():
    pre_save.connect(fill_search_text, dispatch_uid="oncoregistry.core.search")

"""Names compared as people read them: letter case, punctuation, accents and the
Cyrillic/Latin spelling of one name ("Astana" = "Астана", "Qazaqstan" ~ "Казахстан").

A small table rather than Unidecode or transliterate: both are GPL-licensed, and the
registry needs only Russian and Kazakh Cyrillic, spelt the way Kazakhstan's English
sources spell them (х -> kh, ы -> y, қ -> k), which a general table does not promise.
"""

import difflib
import re
import unicodedata

CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh",
    "з": "z", "и": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu",
    "я": "ya",
    # Kazakh letters
    "ә": "a", "ғ": "g", "қ": "k", "ң": "ng", "ө": "o", "ұ": "u", "ү": "u", "һ": "h",
    "і": "i",
}  # fmt: skip

#: Latin spellings of one sound that sources use interchangeably (Qazaqstan/Kazakhstan,
#: Almaty/Almati, Shymkent/Chimkent is left alone: a different word to a reader).
LATIN_VARIANTS = (("kh", "h"), ("q", "k"), ("y", "i"), ("w", "v"), ("j", "zh"))

#: How alike two names must be (difflib's ratio) to be shown as a possible duplicate.
SIMILARITY = 0.88
#: Shorter keys (acronyms: NSOC, NROC) are only ever compared exactly.
MIN_FUZZY_LENGTH = 6


CYRILLIC_TO_LATIN = str.maketrans(CYRILLIC)
NOT_A_LETTER = re.compile(r"[\W_]+")


def transliterate(text):
    """Cyrillic letters written in Latin as Kazakhstan's English-language sources do."""
    return text.translate(CYRILLIC_TO_LATIN)


def name_key(name):
    """The form two names are compared in: lower case, Latin letters without accents,
    no punctuation or spaces, one sound one spelling ("Nur-Sultan" = "Нур-Султан")."""
    text = name.casefold()
    if not text.isascii():
        text = transliterate(unicodedata.normalize("NFKC", text))
        if not text.isascii():
            decomposed = unicodedata.normalize("NFKD", text)
            text = "".join(char for char in decomposed if not unicodedata.combining(char))
    text = NOT_A_LETTER.sub("", text)
    for variant, spelling in LATIN_VARIANTS:
        text = text.replace(variant, spelling)
    return text


class NameMatcher:
    """Tells whether a name reads like one of ``names``: the same key (``name_key``), or
    keys at least ``SIMILARITY`` alike (difflib), acronyms and other short keys only
    exactly. Built once for many candidates: each of ``names`` is analysed once."""

    def __init__(self, names):
        self.keys = {key for key in (name_key(name) for name in names if name) if key}
        self.matchers = []
        for key in self.keys:
            if len(key) >= MIN_FUZZY_LENGTH:
                matcher = difflib.SequenceMatcher(None, autojunk=False)
                matcher.set_seq2(key)
                self.matchers.append((len(key), matcher))

    def __bool__(self):
        return bool(self.keys)

    def matches(self, name):
        key = name_key(name)
        if not key:
            return False
        if key in self.keys:
            return True
        length = len(key)
        if length < MIN_FUZZY_LENGTH:
            return False
        for own_length, matcher in self.matchers:
            # The ratio is at most 2*min/(sum) of the lengths: most pairs stop here.
            if 2 * min(length, own_length) < SIMILARITY * (length + own_length):
                continue
            matcher.set_seq1(key)
            if matcher.quick_ratio() >= SIMILARITY and matcher.ratio() >= SIMILARITY:
                return True
        return False


def names_alike(first, second):
    """Whether two names read as the same name (see :class:`NameMatcher`)."""
    return NameMatcher([first]).matches(second)

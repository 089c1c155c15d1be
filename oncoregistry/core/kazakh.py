"""Kazakh grammar the catalogue cannot hold: the case ending a written number takes.

Kazakh puts "more than" after the number, in the ablative: "330-дан астам" (over 330),
"12 000-нан астам", "5-тен астам". The ending agrees with the last word the number is read
with (330 is "үш жүз отыз": "отыз" → "-дан"), by vowel harmony and the word's last sound.
"""

from decimal import Decimal

# The last word a number is read with: its last non-zero digit in its place, or the name
# of its group of three zeros.
UNITS = ["", "бір", "екі", "үш", "төрт", "бес", "алты", "жеті", "сегіз", "тоғыз"]
TENS = ["", "он", "жиырма", "отыз", "қырық", "елу", "алпыс", "жетпіс", "сексен", "тоқсан"]
HUNDRED = "жүз"
GROUPS = ["", "мың", "миллион", "миллиард", "триллион"]

BACK_VOWELS = set("аоұыя")
FRONT_VOWELS = set("әөүіеиэю")
NASALS = set("мнң")
# Read voiceless at the end of a word (a written final "д" is said "т": "миллиардтан").
VOICELESS = set("кқпстфхшщцчбвгд")


def last_word(value):
    """The last word of ``value`` (an int or Decimal ≥ 0) read aloud in Kazakh."""
    number = value if isinstance(value, Decimal) else Decimal(str(value))
    digits = format(abs(number).normalize(), "f")
    if "." in digits:
        # "бір бүтін оннан бес" (1.5): the fraction is read last, as a whole number.
        digits = digits.split(".")[1]
    digits = digits.lstrip("0") or "0"
    zeros = len(digits) - len(digits.rstrip("0"))
    if digits == "0":
        return "нөл"
    if zeros >= 3:  # 300 000 is "үш жүз мың": the group's name is read last
        return GROUPS[min(zeros // 3, len(GROUPS) - 1)]
    digit = int(digits.rstrip("0")[-1])
    return [UNITS, TENS, [HUNDRED] * 10][zeros][digit]


# Words whose ending no rule above gives: a possessive ("АҚШ доллары" → "долларынан") and a
# soft sign read as a front vowel ("рубльден").
ENDINGS = {"доллары": "нан", "рубль": "ден"}


def ablative(last):
    """The ablative ending after ``last``: a number as written in digits ("330" → "-дан"),
    or the word a text ends with ("теңге" → "ден", joined without a hyphen)."""
    if isinstance(last, str):
        return word_ablative(last.split()[-1].lower()) if last.strip() else ""
    return "-" + word_ablative(last_word(last))


def word_ablative(word):
    if word in ENDINGS:
        return ENDINGS[word]
    vowels = [letter for letter in word if letter in BACK_VOWELS | FRONT_VOWELS]
    vowel = "а" if vowels and vowels[-1] in BACK_VOWELS else "е"
    final = word[-1]
    if final in NASALS:
        consonant = "н"
    elif final in VOICELESS:
        consonant = "т"
    else:
        consonant = "д"
    return f"{consonant}{vowel}н"

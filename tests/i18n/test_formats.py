"""Numbers, money, dates and plurals as each language writes them."""

import datetime
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import formats, translation

from oncoregistry.core.derived import qualified_amount, qualified_number
from oncoregistry.dashboard.templatetags.registry import qualified_compact

NBSP = "\xa0"


@pytest.mark.parametrize(
    ("language", "date", "number"),
    [
        ("en", "Dec. 3, 2026, 12:44 p.m.", "1,300.5"),
        ("ru", "3 декабря 2026 г., 12:44", f"1{NBSP}300,5"),
        ("kk", "2026 жылғы 3 желтоқсан, 12:44", f"1{NBSP}300,5"),
    ],
)
def test_dates_and_numbers_follow_the_language(language, date, number):
    moment = datetime.datetime(2026, 12, 3, 12, 44)
    with translation.override(language):
        assert formats.date_format(moment, "DATETIME_FORMAT") == date
        assert qualified_number(Decimal("1300.50"), "exact") == number


@pytest.mark.parametrize(
    ("language", "exact", "compact"),
    [
        ("en", "over 170,000,000,000 KZT", "over 170 billion KZT"),
        ("ru", f"более 170{NBSP}000{NBSP}000{NBSP}000 тенге", "более 170 млрд тенге"),
        ("kk", f"170{NBSP}000{NBSP}000{NBSP}000 теңгеден астам", "170 млрд теңгеден астам"),
    ],
)
def test_money_is_written_in_the_readers_currency_words(language, exact, compact):
    with translation.override(language):
        assert qualified_amount(Decimal("170000000000"), "KZT", "over", "") == exact
        fact = {"value": 170_000_000_000, "qualifier": "over"}
        rendered = Template("{% load registry %}{{ fact|qualified_compact:c }}")
        assert rendered.render(Context({"fact": fact, "c": "KZT"})) == compact
        assert qualified_compact({"value": 1_500_000, "qualifier": "exact"}) == {
            "en": "1.5 million",
            "ru": "1,5 млн",
            "kk": "1,5 млн",
        }[language]


@pytest.mark.parametrize(
    ("count", "russian"),
    [
        (1, "система протонной терапии"),
        (2, "системы протонной терапии"),
        (5, "систем протонной терапии"),
        (21, "система протонной терапии"),
    ],
)
def test_a_count_takes_the_plural_form_russian_gives_it(count, russian):
    template = Template(
        "{% load i18n %}{% blocktranslate context 'headline card' count counter=n %}"
        "proton therapy system{% plural %}proton therapy systems{% endblocktranslate %}"
    )
    with translation.override("ru"):
        assert template.render(Context({"n": count})) == russian
    with translation.override("kk"):  # Kazakh keeps the noun singular after a number
        assert template.render(Context({"n": count})) == "протондық терапия жүйесі"


@pytest.mark.parametrize(
    ("value", "qualifier", "kazakh"),
    [
        (330, "over", "330-дан астам"),
        (12000, "over", f"12{NBSP}000-нан астам"),
        (5, "over", "5-тен астам"),
        (40, "over", "40-тан астам"),
        (80, "over", "80-нен астам"),
        (Decimal("1.5"), "over", "1,5-тен астам"),
        (330, "up_to", "ең көбі 330"),
        (330, "about", "шамамен 330"),
        (330, "at_least", "кемінде 330"),
    ],
)
def test_kazakh_puts_more_than_after_the_number_in_the_ablative(value, qualifier, kazakh):
    with translation.override("kk"):
        assert qualified_number(value, qualifier) == kazakh
    with translation.override("ru"):
        assert qualified_number(330, "over") == "более 330"
    with translation.override("en"):
        assert qualified_number(330, "over") == "over 330"

"""The dashboard's figure filters: a snapshot figure read as the article states it."""

import pytest
from django.utils import translation

from oncoregistry.dashboard.templatetags.registry import qualified, qualified_compact, qualified_row


@pytest.mark.parametrize(
    "fact, text",
    [
        ({"value": 330, "qualifier": "up_to"}, "up to 330"),
        ({"value": 12000, "qualifier": "exact"}, "12,000"),
        ({"value": 7, "qualifier": "at_least"}, "at least 7"),
        ({"value": 2.5, "qualifier": "about"}, "about 2.5"),
        ({"value": 40, "qualifier": "mixed"}, "about 40"),
        ({"value": 40, "qualifier": "unheard_of"}, "unheard_of 40"),
        ({"value": 40}, "40"),
        ({"value": None, "qualifier": "up_to"}, "not stated"),
        (None, "not stated"),
    ],
)
def test_qualified(fact, text):
    with translation.override("en"):
        assert qualified(fact) == text


def test_qualified_in_russian_and_back():
    with translation.override("ru"):
        assert qualified({"value": 330, "qualifier": "up_to"}) == "до 330"
        assert qualified({"value": 40, "qualifier": "mixed"}) == "около 40"
    with translation.override("en"):
        assert qualified({"value": 330, "qualifier": "up_to"}) == "up to 330"


def test_qualified_compact_and_rows():
    with translation.override("en"):
        assert qualified_compact({"value": 170e9, "qualifier": "over"}) == "over 170 billion"
        assert qualified_compact({"value": 330, "qualifier": "up_to"}) == "up to 330"
        assert qualified_row({"value": 5, "qualifier": "at_least"}, "value") == "at least 5"
        assert qualified_row({"count": 3}, "count") == 3

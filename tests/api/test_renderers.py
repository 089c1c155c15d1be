"""The orjson renderer writes what DRF's JSONRenderer writes."""

import datetime
import decimal
import json
import uuid
import zoneinfo

import pytest
from django.utils.translation import gettext_lazy as _
from rest_framework import renderers
from rest_framework.utils.serializer_helpers import ReturnDict

from oncoregistry.core.renderers import JSONRenderer

ALMATY = zoneinfo.ZoneInfo("Asia/Almaty")
DATA = ReturnDict(
    {
        "name": _("about"),
        "at_utc": datetime.datetime(2026, 5, 30, 12, 0, tzinfo=datetime.UTC),
        "at_almaty": datetime.datetime(2026, 5, 30, 17, 0, tzinfo=ALMATY),
        "day": datetime.date(2026, 1, 26),
        "amount": decimal.Decimal("170000000000.50"),
        "id": uuid.UUID(int=7),
        "text": "line\u2028separator, кириллица, қазақша",
        "nested": [{"n": 1, "none": None, "ok": True}, (1, 2)],
        1: "integer key",
        "big": 2**70,
    },
    serializer=None,
)


def test_same_document_as_drf():
    ours = JSONRenderer().render(DATA)
    theirs = renderers.JSONRenderer().render(DATA)
    assert json.loads(ours) == json.loads(theirs)
    assert b"\\u2028" in ours and b"\xe2\x80\xa8" not in ours
    assert b'"at_utc":"2026-05-30T12:00:00Z"' in ours


def test_compact_and_indented_as_drf():
    data = {"a": [1, 2], "b": "кириллица"}
    assert JSONRenderer().render(data) == renderers.JSONRenderer().render(data)
    indented = "application/json; indent=4"
    assert JSONRenderer().render(data, indented) == renderers.JSONRenderer().render(data, indented)
    assert JSONRenderer().render(None) == b""


@pytest.mark.parametrize(
    "accept, query",
    [
        (None, ""),
        ("*/*", ""),
        ("*/*", "format=csv"),
        ("*/*", "format=api"),
        ("application/json", ""),
        ("text/html", ""),
        ("text/csv", ""),
        ("text/html;q=0.9, */*;q=0.8", ""),
    ],
)
def test_negotiation_picks_what_drfs_picks(accept, query):
    from rest_framework.negotiation import DefaultContentNegotiation
    from rest_framework.request import Request
    from rest_framework.test import APIRequestFactory

    from oncoregistry.api.exports import CSVRenderer
    from oncoregistry.core.renderers import ContentNegotiation

    headers = {} if accept is None else {"HTTP_ACCEPT": accept}
    request = Request(APIRequestFactory().get(f"/api/v1/regions/?{query}", **headers))
    choices = [JSONRenderer(), renderers.BrowsableAPIRenderer(), CSVRenderer()]
    ours = ContentNegotiation().select_renderer(request, choices)
    drfs = DefaultContentNegotiation().select_renderer(request, choices)
    assert (type(ours[0]), ours[1]) == (type(drfs[0]), drfs[1])

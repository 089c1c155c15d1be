"""Quantities are JSON numbers (#18): every decimal of every list and detail serializer is a
number, written with its exact digits (a decimal longer than a float is not rounded), the
schema says ``type: number, format: decimal``, and pandas reads the lists as numbers."""

import io
import json
from decimal import Decimal

import pandas
import pytest
from django.core.exceptions import ValidationError
from rest_framework import serializers

from centers.models import CapacityFigure
from commitments.models import Commitment
from oncoregistry.api import RegistryReadOnlyViewSet
from oncoregistry.api_urls import router
from oncoregistry.core.models import QUANTITY_DIGITS
from oncoregistry.core.renderers import JSONRenderer
from partnerships.models import Funding
from tests import factories

pytestmark = pytest.mark.django_db

VIEWSETS = {
    prefix: viewset
    for prefix, viewset, _basename in router.registry
    if issubclass(viewset, RegistryReadOnlyViewSet)
}


def decimal_fields(serializer_class):
    return [
        name
        for name, field in serializer_class().fields.items()
        if isinstance(field, serializers.DecimalField)
    ]


#: (route, decimal fields of its list serializer, of its detail serializer)
DECIMALS = [
    (
        route,
        decimal_fields(viewset.list_serializer_class or viewset.serializer_class),
        decimal_fields(viewset.serializer_class),
    )
    for route, viewset in VIEWSETS.items()
]


def with_coordinates():
    factories.OrganizationFactory(latitude=Decimal("51.16052"), longitude=Decimal("71.47040"))


def test_the_quantities_are_known():
    found = {route: set(list_fields) | set(detail) for route, list_fields, detail in DECIMALS}
    assert {route: fields for route, fields in found.items() if fields} == {
        "regions": {"latitude", "longitude"},
        "organizations": {"latitude", "longitude"},
        "capacity-figures": {"value"},
        "funding": {"amount"},
        "commitments": {"target_value"},
    }


@pytest.mark.parametrize("route, list_fields, detail_fields", DECIMALS)
def test_every_decimal_is_a_json_number(anon, registry, route, list_fields, detail_fields):
    if route == "commitments":
        from commitments.services import commitments_refresh

        commitments_refresh()
    if route == "organizations":
        with_coordinates()
    results = anon.get(f"/api/v1/{route}/", {"page_size": 100}).json()["results"]
    assert results, route
    for field in list_fields:
        values = [row[field] for row in results if row[field] is not None]
        assert values and all(isinstance(v, int | float) for v in values), (route, field)
    detail = anon.get(results[0]["url"]).json()
    for field in detail_fields:
        assert detail[field] is None or isinstance(detail[field], int | float), (route, field)


def test_the_longest_amount_keeps_every_digit_on_every_database(anon, registry):
    # 15 digits, what a double keeps: SQLite (make run's default) stores decimals as doubles.
    exact = Decimal("9876543210987.65")
    factories.FundingFactory(slug="exact-amount", amount=exact, currency="KZT")
    for accept in ("application/json", "application/json; indent=4"):
        body = anon.get("/api/v1/funding/exact-amount/", HTTP_ACCEPT=accept).content
        assert b"9876543210987.65" in body
        assert json.loads(body, parse_float=Decimal)["amount"] == exact
    listed = anon.get("/api/v1/funding/", {"currency": "KZT"}).content
    assert b'"amount":9876543210987.65' in listed
    amounts = [row["amount"] for row in json.loads(listed, parse_float=Decimal)["results"]]
    assert exact in amounts


@pytest.mark.parametrize(
    ("model", "field"),
    [(Funding, "amount"), (CapacityFigure, "value"), (Commitment, "target_value")],
)
def test_a_quantity_longer_than_a_double_is_refused_in_plain_words(model, field):
    model_field = model._meta.get_field(field)
    assert (model_field.max_digits, model_field.decimal_places) == (QUANTITY_DIGITS, 2)
    with pytest.raises(ValidationError) as refused:
        model_field.clean(Decimal("12345678901234.56"), None)
    assert "no more than 15 digits in total" in " ".join(refused.value.messages)


def test_the_renderer_writes_decimals_exactly_and_text_as_text():
    data = {
        "amount": Decimal("-0.05"),
        "big": 2**70,  # orjson refuses it: DRF's renderer writes the document
        "text": '"~0123456789abcdef~1.5~0123456789abcdef~"',
    }
    for accepted in (None, "application/json; indent=4"):
        body = JSONRenderer().render(data, accepted)
        parsed = json.loads(body, parse_float=Decimal)
        assert parsed == {**data, "amount": Decimal("-0.05")}


def test_pandas_reads_the_quantities_as_numbers(anon, registry):
    with_coordinates()
    for route, columns in (
        ("capacity-figures", ["value"]),
        ("funding", ["amount"]),
        ("organizations", ["latitude", "longitude"]),
        ("regions", ["latitude", "longitude"]),
    ):
        body = anon.get(f"/api/v1/{route}/").json()["results"]
        frame = pandas.read_json(io.StringIO(json.dumps(body)))
        for column in columns:
            assert pandas.api.types.is_numeric_dtype(frame[column]), (route, column)
    figures = pandas.read_json(
        io.StringIO(json.dumps(anon.get("/api/v1/capacity-figures/").json()["results"]))
    )
    assert 12000 in set(figures["value"])


def test_the_schema_says_number(anon):
    schemas = anon.get("/api/schema/?format=json").json()["components"]["schemas"]
    for component, field in (
        ("CapacityFigure", "value"),
        ("CapacityFigureDetail", "value"),
        ("Funding", "amount"),
        ("Organization", "latitude"),
        ("Region", "longitude"),
        ("Commitment", "target_value"),
        ("CapacityFigureDetailRequest", "value"),
    ):
        schema = schemas[component]["properties"][field]
        assert (schema["type"], schema["format"]) == ("number", "decimal"), (component, schema)
    value = schemas["CapacityFigure"]["properties"]["value"]
    assert value["minimum"] == 0 and value["maximum"] == 10 ** (QUANTITY_DIGITS - 2)

"""Compiled list rows (oncoregistry/api/rows.py) give exactly what the list serializers give,
for JSON and CSV, in every language, on the registry loaded from the articles plus records
that exercise the empty cases (no region, no count, no amount, no year)."""

import csv
import json

import pytest
from django.utils import translation
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from commitments.services import commitments_refresh
from oncoregistry.api import RegistryReadOnlyViewSet, csv_columns, csv_row
from oncoregistry.api.exports import _Echo
from oncoregistry.api.rows import compile_error, row_plan
from oncoregistry.api_urls import router
from tests import factories

pytestmark = pytest.mark.django_db

#: The registry's resources (the statistics and the change feed are not record lists).
LIST_VIEWSETS = {
    prefix: viewset
    for prefix, viewset, _basename in router.registry
    if issubclass(viewset, RegistryReadOnlyViewSet)
}


def list_serializer(viewset):
    return viewset.list_serializer_class or viewset.serializer_class


#: Resources whose list serializer has a field the compiler does not know, and why.
NOT_COMPILED = {"citations": "CitedRecordField"}


def edge_records():
    f = factories
    org = f.OrganizationFactory(
        region=None, parent=None, name_ru="Центр", name_kk="Орталық", aliases=""
    )
    f.EquipmentFactory(organization=org, manufacturer=None, count=None)
    f.CapacityFigureFactory(organization=org, date_year=None, date_precision="unknown")
    f.FundingFactory(amount=None, statement="increased sixfold", funder=None, agreement=None)
    therapy = f.TherapyFactory(name_ru="Терапия")
    therapy.cancer_types.set([f.CancerTypeFactory(name_kk="Қатерлі ісік"), f.CancerTypeFactory()])


def request_for(path, language):
    request = Request(APIRequestFactory().get(path, HTTP_HOST="localhost"))
    request.LANGUAGE_CODE = language
    return request


def written(cells):
    """A CSV line as the export writes it."""
    return csv.writer(_Echo()).writerow(cells)


def plain(data):
    """Lazy strings, ordered dicts and decimals as the JSON a client reads."""
    return json.loads(json.dumps(data, default=str))


@pytest.fixture
def registry_with_edges(seeded):
    edge_records()
    commitments_refresh()  # derived from the records: the list has rows to compare


def test_every_list_serializer_compiles_except_the_known_ones():
    for prefix, viewset in LIST_VIEWSETS.items():
        error = compile_error(list_serializer(viewset))
        if prefix in NOT_COMPILED:
            assert NOT_COMPILED[prefix] in error, prefix
            assert row_plan(list_serializer(viewset)) is None
        else:
            assert error is None, (prefix, error)


@pytest.mark.parametrize("language", ["en", "ru", "kk"])
def test_compiled_rows_equal_the_serializer(registry_with_edges, language):
    compared = 0
    with translation.override(language):
        for prefix, viewset in LIST_VIEWSETS.items():
            plan = row_plan(list_serializer(viewset))
            if plan is None:
                continue
            request = request_for(f"/api/v1/{prefix}/", language)
            queryset = viewset.queryset.all()
            serializer = list_serializer(viewset)(queryset, many=True, context={"request": request})
            expected = plain(serializer.data)
            assert expected, prefix
            rows = list(plan.values(queryset))
            assert plain(plan.json_rows(rows, request)) == expected, prefix

            columns = csv_columns(list_serializer(viewset)(context={"request": request}))
            expected_lines = [written(csv_row(item, columns)) for item in expected]
            lines = [written(cells) for cells in plan.csv_rows(rows, request)]
            assert lines == expected_lines, prefix
            compared += len(rows)
    assert compared > 100


def test_localized_names_reach_compiled_rows(registry_with_edges):
    plan = row_plan(list_serializer(LIST_VIEWSETS["therapies"]))
    queryset = LIST_VIEWSETS["therapies"].queryset.filter(name_ru="Терапия")
    with translation.override("kk"):
        (row,) = plan.json_rows(list(plan.values(queryset)), request_for("/", "kk"))
    assert "Қатерлі ісік" in [c["name"] for c in row["cancer_types"]]
    with translation.override("ru"):
        (row,) = plan.json_rows(list(plan.values(queryset)), request_for("/", "ru"))
    assert row["name"] != "Терапия"  # the list shows `name`; only references are localized


def test_a_memo_remembers_repeating_values_and_stops_for_values_that_do_not():
    from oncoregistry.api.rows import MEMO_PROBE, Binding

    calls = []

    def double(x):
        calls.append(x)
        return 2 * x

    repeating = Binding.memoized(double)
    assert [repeating(i % 3) for i in range(1000)] == [2 * (i % 3) for i in range(1000)]
    assert len(calls) == 3

    calls.clear()
    distinct = Binding.memoized(double)
    assert [distinct(i) for i in range(1000)] == [2 * i for i in range(1000)]
    assert len(calls) == 1000
    # Past the probe it no longer remembers: a value seen again is computed again.
    assert distinct(0) == 0 and calls[-1] == 0 and len(calls) == 1001 > MEMO_PROBE


def test_rows_read_in_chunks_are_the_querysets_rows(registry_with_edges, django_assert_num_queries):
    """An export reads its rows in chunks of one query; values and CSV lines are the same."""
    from itertools import chain

    from oncoregistry.core.streaming import in_chunks

    request = request_for("/", "en")
    for prefix, viewset in LIST_VIEWSETS.items():
        plan = row_plan(list_serializer(viewset))
        if plan is None:
            continue
        # Ordered by a column the rows do not hold: Django adds it to the SELECT.
        queryset = plan.values(viewset.queryset.order_by("-created_at", "-pk"))
        with django_assert_num_queries(1):
            chunks = list(in_chunks(queryset, 7))
        assert all(len(chunk) <= 7 for chunk in chunks)
        streamed = list(chain.from_iterable(chunks))
        iterated = list(queryset)
        assert streamed == iterated, prefix
        assert [written(c) for c in plan.csv_rows(streamed, request)] == [
            written(c) for c in plan.csv_rows(iterated, request)
        ], prefix

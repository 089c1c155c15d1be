"""Helpers for the per-article fact tests."""

from decimal import Decimal

from centers.models import CapacityFigure


def figure(slug):
    return CapacityFigure.objects.select_related("organization", "metric").get(slug=slug)


def assert_figure(slug, *, organization, metric, value, qualifier, kind, period, months=None):
    fact = figure(slug)
    assert fact.organization.slug == organization
    assert fact.metric.slug == metric
    assert fact.value == Decimal(value)
    assert fact.qualifier == qualifier
    assert fact.kind == kind
    assert fact.period == period
    assert fact.period_months == months
    return fact


def assert_cited_by(record, source_slug, fragment):
    quotes = [c.quote for c in record.citations.filter(source__slug=source_slug)]
    assert any(fragment in q for q in quotes), quotes

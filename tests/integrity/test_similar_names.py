"""A new organisation whose name reads like an existing one (case, punctuation, Cyrillic
for Latin) is shown the candidates before it is saved (issue 13, item 3)."""

import pytest
from django.urls import reverse

from centers.models import Organization
from centers.selectors import similar_organizations
from oncoregistry.core.names import names_alike
from tests import factories

from .conftest import inline_management

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Astana", "Астана"),
        ("Nur-Sultan", "Нур-Султан"),
        ("Kazakhstan", "Казахстан"),
        ("Qazaqstan", "Казахстан"),
        ("AstraZeneca", "АСТРАЗЕНЕКА"),
        ("National Research Oncology Center", "national research oncology centre"),
        ("NSOC", "N.S.O.C."),
    ],
)
def test_names_that_read_alike(first, second):
    assert names_alike(first, second)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Almaty", "Astana"),
        ("National Research Oncology Center", "National Scientific Oncology Center"),
        ("NSOC", "NROC"),
    ],
)
def test_names_that_do_not(first, second):
    assert not names_alike(first, second)


def test_candidates_are_found_by_any_of_their_names():
    astana = factories.OrganizationFactory(
        name="Astana Oncology Center", name_ru="Онкологический центр Астаны"
    )
    nroc = factories.OrganizationFactory(
        name="National Research Oncology Center", aliases="National Scientific Oncology Center"
    )
    factories.OrganizationFactory(name="Almaty Oncology Center")
    found = similar_organizations(["Астана Oncology Center"])
    assert [(o, names) for o, names in found] == [(astana, ["Astana Oncology Center"])]
    found = similar_organizations(["NATIONAL SCIENTIFIC ONCOLOGY CENTER"])
    assert found == [(nroc, ["National Scientific Oncology Center"])]
    assert similar_organizations(["Karaganda Oncology Center"], exclude_pk=None) == []


def new_organization(name, **extra):
    return {
        "name": name,
        "slug": "new-center",
        "short_name": "",
        "aliases": "",
        "kind": "oncology_center",
        "status": "operating",
        "name_ru": "",
        "name_kk": "",
        "country": "KZ",
        "city": "",
        **extra,
    }


def test_admin_warns_with_the_candidates_and_saves_when_confirmed(client, editor):
    existing = factories.OrganizationFactory(name="Astana Oncology Center")
    client.force_login(editor)
    url = reverse("admin:centers_organization_add")
    form = client.get(url)
    prefixes = [f.formset.prefix for f in form.context["inline_admin_formsets"]]
    data = new_organization("Астана Oncology Center")
    for prefix in prefixes:
        data.update(inline_management(prefix))

    page = client.post(url, data)
    assert page.status_code == 200
    html = page.content.decode()
    assert "may already be in the registry under a similar name" in html
    link = reverse("admin:centers_organization_change", args=[existing.pk])
    assert f'<a href="{link}">Astana Oncology Center</a>' in html
    assert "Астана Oncology Center" in html  # the editor's input is kept
    assert not Organization.objects.filter(slug="new-center").exists()

    saved = client.post(url, {**data, "save_anyway": "on"})
    assert saved.status_code == 302
    assert Organization.objects.filter(slug="new-center").exists()


def test_a_name_like_no_other_saves_at_once(client, editor):
    factories.OrganizationFactory(name="Astana Oncology Center")
    client.force_login(editor)
    url = reverse("admin:centers_organization_add")
    form = client.get(url)
    data = new_organization("Karaganda Regional Cancer Hospital")
    for formset in form.context["inline_admin_formsets"]:
        data.update(inline_management(formset.formset.prefix))
    assert client.post(url, data).status_code == 302

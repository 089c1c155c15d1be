"""A file with good, duplicate and bad rows: the dry run reports each row and writes nothing;
the real run writes every row in one transaction, or nothing when a row is refused."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import ProtectedError

from centers.models import CapacityFigure
from centers.resources import CapacityFigureResource, OrganizationResource
from oncoregistry.core.meta import default_manager
from oncoregistry.imports.reports import read_table, run_import
from oncoregistry.review.models import ChangeRequest
from oncoregistry.review.services import approve
from oncoregistry.sources.models import Citation
from oncoregistry.tooling.spreadsheets import RESOURCES
from tests import factories

from .conftest import QUOTE, SOURCE, csv_file, figure

EXISTING = "nsoc-diagnostic-surgical-procedures-per-year"
#: The slug a new NSOC procedures capacity of 2013 is given (organisation, metric, kind, year).
GENERATED_2013 = "national-research-oncology-center-diagnostic-surgical-procedures-capacity-2013"


def existing_row(**cells):
    """The seed's figure of NSOC's procedures, as an export writes it."""
    row = dict(
        zip(
            CapacityFigureResource.columns(),
            CapacityFigureResource().export(CapacityFigure.objects.filter(slug=EXISTING))[0],
            strict=True,
        )
    )
    row.update(cells)
    return row


def state():
    """Every figure and citation with its values, and the number of history rows."""
    return (
        sorted(CapacityFigure.objects.values_list("slug", "value", "kind", "publication_state")),
        Citation.objects.count(),
        CapacityFigure.history.count(),
    )


def mixed_file():
    future = datetime.date.today().year + 1
    return csv_file(
        [
            figure(),  # row 2: new
            existing_row(value="12500"),  # row 3: the seed's figure, matched by key: changed
            figure(organization="no-such-center"),  # row 4: unknown organisation
            figure(kind="capacity", date_year="2019", quote="Not in the article."),  # row 5
            figure(kind="delivered", date_year=str(future)),  # row 6: delivered in the future
            figure(),  # row 7: repeats row 2
            existing_row(),  # row 8: repeats row 3's key
        ]
    )


def test_dry_run_reports_every_row_and_writes_nothing(seeded_once):
    before = state()
    report = run_import(
        CapacityFigureResource, read_table(mixed_file(), "figures.csv"), file_name="figures.csv"
    )
    assert state() == before
    statuses = [(row.number, row.status) for row in report.rows]
    assert statuses == [
        (2, "new"),
        (3, "changed"),
        (4, "refused"),
        (5, "refused"),
        (6, "refused"),
        (7, "refused"),
        (8, "refused"),
    ]
    rows = {row.number: row for row in report.rows}
    assert rows[3].changes == [("value", "12000", "12500")]
    assert rows[4].problems == [
        ("organization", "No organization has the slug “no-such-center” in the registry.")
    ]
    assert rows[5].problems[0][0] == "quote"
    assert "is not in the source" in rows[5].problems[0][1]
    [(column, reason)] = rows[6].problems
    assert column == "date_year" and "cannot be dated in the future" in reason
    assert "Row 2 already says this" in rows[7].problems[0][1]
    assert "Row 3 already says this" in rows[8].problems[0][1]
    assert report.counts == {"new": 1, "changed": 1, "unchanged": 0, "refused": 5}
    assert not report.ok
    text = report.as_text()
    assert "Row 4: refused" in text and "organization: No organization" in text
    assert "value: “12000” → “12500”" in text


def test_a_refused_row_stops_the_whole_file(seeded_once):
    before = state()
    report = run_import(
        CapacityFigureResource,
        read_table(mixed_file(), "figures.csv"),
        file_name="figures.csv",
        dry_run=False,
    )
    assert not report.ok
    assert state() == before


def test_confirmed_file_is_written_whole_as_drafts_with_the_file_in_history(seeded_once, client):
    data = csv_file([figure(), existing_row(value="12500")])
    report = run_import(
        CapacityFigureResource,
        read_table(data, "figures.csv"),
        file_name="figures.csv",
        dry_run=False,
    )
    assert report.ok, report.as_text()
    new = CapacityFigure.objects.get(kind="capacity", metric__slug="diagnostic-surgical-procedures")
    assert new.publication_state == "draft"
    assert new.history.first().history_change_reason == "Import of figures.csv"
    citation = Citation.objects.get(
        content_type=ContentType.objects.get_for_model(CapacityFigure), object_id=new.pk
    )
    assert (citation.source.slug, citation.quote) == (SOURCE, QUOTE)
    # The published figure's change is a proposal: the public keeps 12,000 until a reviewer
    # approves it.
    changed = CapacityFigure.objects.get(slug=EXISTING)
    assert changed.value == 12000
    [proposal] = ChangeRequest.objects.for_record(changed).pending()
    assert (proposal.changes, proposal.reason) == ({"value": "12500"}, "Import of figures.csv")
    approve(proposal, reviewer=factories.ReviewerFactory())
    changed.refresh_from_db()
    assert changed.value == 12500
    assert changed.history.first().history_change_reason.startswith("Import of figures.csv")

    # The draft is not public: the anonymous API and the organisation's page leave it out.
    listed = client.get("/api/v1/capacity-figures/", {"page_size": 100}).json()
    assert new.slug not in {item["slug"] for item in listed["results"]}
    assert client.get(f"/api/v1/capacity-figures/{new.slug}/").status_code == 404


def test_importing_the_same_file_again_adds_nothing(seeded_once):
    data = csv_file([figure(), figure(kind="target", date_year="2030", date_qualifier="by")])
    first = run_import(
        CapacityFigureResource, read_table(data, "f.csv"), file_name="f.csv", dry_run=False
    )
    assert first.counts["new"] == 2
    after_first = state()
    second = run_import(
        CapacityFigureResource, read_table(data, "f.csv"), file_name="f.csv", dry_run=False
    )
    assert second.counts == {"new": 0, "changed": 0, "unchanged": 2, "refused": 0}
    assert state() == after_first


def test_unknown_region_slug_names_row_column_and_reason(seeded_once):
    columns = OrganizationResource.columns()
    data = csv_file(
        [
            {
                "name": "Regional oncology center",
                "kind": "oncology_center",
                "region": "atlantis",
                "source": SOURCE,
                "quote": QUOTE,
            }
        ],
        columns,
    )
    report = run_import(OrganizationResource, read_table(data, "o.csv"), file_name="o.csv")
    [row] = report.rows
    assert (row.number, row.status) == (2, "refused")
    assert row.problems == [("region", "No region has the slug “atlantis” in the registry.")]


def test_the_history_reason_is_cut_to_its_column(seeded_once):
    name = "x" * 150 + ".csv"
    report = run_import(
        CapacityFigureResource,
        read_table(csv_file([figure()]), name),
        file_name=name,
        dry_run=False,
    )
    assert report.ok
    reason = (
        CapacityFigure.objects.get(kind="capacity", metric__slug="diagnostic-surgical-procedures")
        .history.first()
        .history_change_reason
    )
    assert len(reason) == 100 and reason.startswith("Import of xxx")


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"%PDF-1.4", "figures.pdf", "is not a CSV or XLSX file"),
        ("organization,metric\nцентр,x\n".encode("cp1251"), "f.csv", "is not UTF-8"),
        (b"", "f.csv", "The file is empty"),
        (b"organization,metric\n", "f.csv", "no rows of data"),
        (b"not a zip", "f.xlsx", "not a readable XLSX"),
    ],
)
def test_unreadable_files_are_refused_in_plain_words(data, name, message):
    from oncoregistry.imports.reports import ImportFileError

    with pytest.raises(ImportFileError, match=message):
        read_table(data, name)


def test_missing_and_unknown_columns_are_named(seeded_once):
    data = b"organization,metric,valeu\nnational-research-oncology-center,pet-studies,1\n"
    report = run_import(CapacityFigureResource, read_table(data, "f.csv"), file_name="f.csv")
    assert not report.ok and report.rows == []
    assert "Columns missing from the header row: value, kind, period" in report.problems[0]
    assert "Columns this list does not have: valeu" in report.problems[1]


def test_importing_again_revises_the_pending_proposal_instead_of_adding_a_second(seeded_once):
    editor = factories.EditorFactory()
    published = CapacityFigure.objects.get(slug=EXISTING)

    def confirm(value):
        data = csv_file([existing_row(value=value)])
        report = run_import(
            CapacityFigureResource,
            read_table(data, "figures.csv"),
            file_name="figures.csv",
            user=editor,
            dry_run=False,
        )
        assert report.ok, report.as_text()
        assert report.counts["changed"] == 1

    confirm("12500")
    [first] = ChangeRequest.objects.for_record(published).pending()
    confirm("12500")  # the same file again: still one proposal, the same one
    confirm("12600")  # corrected and imported again: that proposal now says 12600
    [revised] = ChangeRequest.objects.for_record(published).pending()
    assert revised.pk == first.pk
    assert (revised.changes, revised.reason) == ({"value": "12600"}, "Import of figures.csv")
    assert revised.history.count() == 3  # proposed, then revised twice
    published.refresh_from_db()
    assert published.value == 12000  # the public keeps the published value until approval

    # Another file (another reason) is a proposal of its own.
    other = run_import(
        CapacityFigureResource,
        read_table(csv_file([existing_row(value="12700")]), "other.csv"),
        file_name="other.csv",
        user=editor,
        dry_run=False,
    )
    assert other.ok
    assert ChangeRequest.objects.for_record(published).pending().count() == 2

    approve(revised, reviewer=factories.ReviewerFactory())
    published.refresh_from_db()
    assert published.value == 12600


def test_agreements_and_their_parties_are_previewed_without_a_write_then_imported(seeded_once):
    from centers.models import Organization
    from partnerships.models import Agreement, AgreementParty
    from partnerships.resources import AgreementResource, parties_text

    exported = AgreementResource().export()
    first = dict(zip(exported.headers, exported[0], strict=True))
    named = {item.split(":")[0].strip() for item in first["parties"].split(";")}
    other = Organization.objects.exclude(slug__in=named).order_by("slug").first()
    new = {**first, "slug": "", "title": first["title"] + " (second phase)"}
    widened = {**first, "parties": first["parties"] + f"; {other.slug}:partner"}
    data = csv_file([new, widened], AgreementResource.columns())
    before = (Agreement.objects.count(), AgreementParty.objects.count())

    preview = run_import(AgreementResource, read_table(data, "a.csv"), file_name="a.csv")
    assert preview.ok, preview.as_text()
    assert [(r.number, r.status) for r in preview.rows] == [(2, "new"), (3, "changed")]
    pairs = [item.strip().split(":") for item in widened["parties"].split(";")]
    assert preview.rows[1].changes == [("parties", first["parties"], parties_text(pairs))]
    assert (Agreement.objects.count(), AgreementParty.objects.count()) == before

    done = run_import(
        AgreementResource, read_table(data, "a.csv"), file_name="a.csv", dry_run=False
    )
    assert done.ok, done.as_text()
    created = Agreement.objects.get(title=new["title"])
    assert created.publication_state == "draft"
    assert {p.organization.slug for p in created.parties.all()} == named
    assert AgreementParty.objects.count() == before[1] + len(named) + 1
    assert AgreementParty.objects.filter(organization=other, role="partner").exists()


def test_the_preview_says_row_for_row_what_the_writes_say(seeded_once):
    """The dry run writes nothing; the confirmed run writes each row (and, a row being
    refused, rolls the file back): both report the same rows, changes and refusals."""
    data = (
        mixed_file()
        + csv_file(
            [
                figure(period="months", date_year="2018"),  # row 9: months without a number
                figure(value="-5", date_year="2017"),  # row 10: a negative number
                figure(date_year="2016", slug=EXISTING),  # row 11: another figure's slug
                figure(date_year="2015", slug="nsoc-procedures-2015"),  # row 12: new, slug named
                figure(date_year="2014", slug="nsoc-procedures-2015"),  # row 13: row 12's slug
                figure(date_year="2013"),  # row 14: new, its slug made from its name
                figure(date_year="2012", slug=GENERATED_2013),  # row 15: row 14's slug
            ]
        ).split(b"\n", 1)[1]
    )

    def reported(dry_run):
        report = run_import(
            CapacityFigureResource,
            read_table(data, "figures.csv"),
            file_name="figures.csv",
            dry_run=dry_run,
        )
        # A changed published record is named with the row's values in the preview and
        # with its published ones after the write (the change waits for a reviewer).
        return [
            (r.number, r.status, "" if r.status == "changed" else r.record, r.changes, r.problems)
            for r in report.rows
        ]

    before = state()
    preview = reported(dry_run=True)
    assert reported(dry_run=False) == preview
    assert state() == before
    statuses = [status for _number, status, _record, _changes, _problems in preview]
    assert statuses == ["new", "changed"] + ["refused"] * 8 + ["new", "refused"] * 2
    problems = {number: problems for number, _s, _r, _c, problems in preview}
    assert problems[9] == [("period_months", "Say over how many months this figure was counted.")]
    assert problems[10] == [("value", "Ensure this value is greater than or equal to 0.")]
    assert problems[11] == [("slug", "Capacity figure with this Slug already exists.")]
    assert problems[13] == problems[11] == problems[15]


@pytest.mark.parametrize("name", sorted(RESOURCES))
def test_every_list_previews_a_new_record_as_its_write_reports_it(seeded_once, name):
    """A record of each list exported, deleted, then its row imported again: the preview
    (no write) and the confirmed run (the writes) report it alike, as new."""
    resource = RESOURCES[name]
    model = resource.get_model()
    for record in default_manager(model).order_by("-pk"):
        row = resource().export(default_manager(model).filter(pk=record.pk))
        try:
            with transaction.atomic():
                record.delete()
        except ProtectedError:
            continue  # another record needs it: take the next one
        break
    data = csv_file([dict(zip(row.headers, row[0], strict=True))], row.headers)

    def reported(dry_run):
        report = run_import(
            resource, read_table(data, f"{name}.csv"), file_name=f"{name}.csv", dry_run=dry_run
        )
        return [(r.number, r.status, r.record, r.changes, r.problems) for r in report.rows]

    preview = reported(dry_run=True)
    assert preview == reported(dry_run=False)
    assert [status for _n, status, *_rest in preview] == ["new"], preview

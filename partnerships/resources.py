"""Spreadsheet columns of agreements (with their parties) and funding."""

import copy

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from centers.models import Organization
from centers.resources import SLUG_MEANING
from oncoregistry.core.choices import Qualifier
from oncoregistry.core.records import Known, record_check
from oncoregistry.core.uniqueness import KeyIndex
from oncoregistry.imports.columns import (
    DATE_COLUMNS,
    Column,
    TextWidget,
    choice,
    number,
    partial_date_columns,
    slug_of,
    text,
)
from oncoregistry.imports.resources import RegistryResource
from oncoregistry.imports.writes import import_write

from .models import (
    Agreement,
    AgreementKind,
    AgreementParty,
    AgreementStatus,
    Currency,
    Funding,
    FundingPeriod,
)

PARTIES = "parties"


def parties_text(pairs):
    """``org-slug:role; other-slug:role``, in the order of the organisations' slugs."""
    return "; ".join(f"{slug}:{role}" for slug, role in sorted(pairs))


class AgreementResource(RegistryResource):
    """Agreements, one row each, with their parties in one cell."""

    label = _("agreements")
    resource_name = "agreements"
    slug_from = ("title",)

    slug = text("slug", SLUG_MEANING)
    title = text("title", _("Title in English."), required=True)
    title_ru = text("title_ru", _("Title in Russian, if known."))
    title_kk = text("title_kk", _("Title in Kazakh, if known."))
    kind = choice("kind", AgreementKind.choices, _("Memorandum, agreement…"), required=True)
    status = choice(
        "status",
        AgreementStatus.choices,
        _("Planned, signed… A signed agreement is never dated in the future."),
        default=AgreementStatus.SIGNED,
    )
    place = text("place", _("Where it was signed, if stated."))
    summary = text("summary", _("What it is about, in a sentence or two."))
    date_year, date_month, date_day, date_precision, date_qualifier = partial_date_columns()
    parties = Column(
        attribute=None,
        column_name=PARTIES,
        widget=TextWidget(),
        meaning=_(
            "Its parties as organisation-slug:role, separated by semicolons, e.g. "
            "national-research-oncology-center:signatory; astrazeneca:signatory."
        ),
    )

    class Meta:
        model = Agreement
        fields = (
            "slug",
            "title",
            "title_ru",
            "title_kk",
            "kind",
            "status",
            "place",
            "summary",
            *DATE_COLUMNS,
            "parties",
            "source",
            "quote",
        )
        import_id_fields = ("slug",)
        skip_unchanged = True
        report_skipped = True
        use_transactions = True
        skip_diff = True

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        self.wanted_parties = {}
        slugs = set()
        if PARTIES in dataset.headers:
            for cell in dataset[PARTIES]:
                slugs.update(slug for slug, _role in self.split_parties(cell))
        self.organizations = {o.slug: o for o in Organization.objects.filter(slug__in=slugs)}

    def load_existing(self, dataset):
        existing = super().load_existing(dataset)
        parties = AgreementParty.objects.filter(
            agreement__in=list(existing.values())
        ).select_related("organization")
        self.current_parties = {}
        for party in parties:
            self.current_parties.setdefault(party.agreement_id, []).append(party)
        return existing

    @staticmethod
    def split_parties(cell):
        pairs = []
        for item in str(cell or "").replace("\n", ";").split(";"):
            if item.strip():
                slug, _colon, role = item.partition(":")
                pairs.append((slug.strip(), role.strip()))
        return pairs

    def check_row(self, instance, row, errors):
        number = self.current_row
        roles = dict(AgreementParty.Role.choices)
        wanted, problems = {}, []
        for slug, role in self.split_parties(row.get(PARTIES)):
            if slug not in self.organizations:
                problems.append(
                    _("No organisation has the slug “%(slug)s” in the registry.") % {"slug": slug}
                )
            elif role not in roles:
                problems.append(
                    _("“%(role)s” is not a party's role; use one of: %(allowed)s.")
                    % {"role": role, "allowed": ", ".join(roles)}
                )
            elif slug in wanted:
                problems.append(_("“%(slug)s” is named twice.") % {"slug": slug})
            else:
                wanted[slug] = role
        for party in self.current_parties.get(instance.pk, []) if instance.pk else []:
            if party.organization.slug not in wanted:
                problems.append(
                    _(
                        "“%(slug)s” is a party of this agreement in the registry: keep it in the "
                        "cell (a party is removed on the agreement's page)."
                    )
                    % {"slug": party.organization.slug}
                )
        if problems:
            errors.setdefault(PARTIES, []).extend(ValidationError(p) for p in problems)
        self.wanted_parties[number] = wanted

    def skip_row(self, instance, original, row, import_validation_errors=None):
        unchanged = super().skip_row(instance, original, row, import_validation_errors)
        number = self.current_row
        if self.snapshots.get(number) is None or import_validation_errors:
            return unchanged
        before = parties_text(
            (p.organization.slug, p.role) for p in self.current_parties.get(instance.pk, [])
        )
        after = parties_text(self.wanted_parties.get(number, {}).items())
        if before != after:
            self.changes[number].append((PARTIES, before, after))
            return False
        return unchanged

    def save_instance(self, instance, is_create, row, **kwargs):
        super().save_instance(instance, is_create, row, **kwargs)
        current = {p.organization.slug: p for p in self.current_parties.get(instance.pk, [])}
        wanted = self.wanted_parties.get(kwargs["row_number"], {})
        if self.dry_run:
            self.check_parties(instance, current, wanted)
            return
        for slug, role in wanted.items():
            party = current.get(slug)
            if party is None:
                party = AgreementParty(
                    agreement=instance, organization=self.organizations[slug], role=role
                )
                import_write(party, {}, user=self.user, reason=self.reason)
                self.save_citation(party, row)
            elif party.role != role:
                import_write(party, {"role": role}, user=self.user, reason=self.reason)

    def check_parties(self, agreement, current, wanted):
        """The dry run: each party the row would add or change, checked as its write would
        check it (record_check), against the parties and organisations read for the file. A
        new agreement's parties are checked without it (it would be written just before)."""
        known = Known(
            related={
                Organization: {o.pk for o in self.organizations.values()},
                Agreement: {a.pk for a in self.existing.values()},
            },
            keys=KeyIndex(
                AgreementParty.natural_key_spec,
                [p for parties in self.current_parties.values() for p in parties],
            ),
        )
        problems = []
        for slug, role in wanted.items():
            party = current.get(slug)
            if party is not None and party.role == role:
                continue
            if party is None:
                party = AgreementParty(
                    agreement=agreement, organization=self.organizations[slug], role=role
                )
            else:
                party = copy.copy(party)
                party.role = role
            try:
                record_check(
                    party, exclude={"agreement"} if agreement.pk is None else (), known=known
                )
            except ValidationError as error:
                problems.extend(f"{slug}: {message}" for message in error.messages)
        if problems:
            raise ValidationError({PARTIES: problems})

    def filter_export(self, queryset, **kwargs):
        return super().filter_export(queryset.prefetch_related("parties__organization"), **kwargs)

    def example_extra(self, record, records):
        pairs = [
            (r["fields"]["organization"], r["fields"]["role"])
            for r in records
            if r["model"] == "partnerships.agreementparty"
            and r["fields"]["agreement"] == record["slug"]
        ]
        return {PARTIES: parties_text(pairs)}

    def dehydrate_parties(self, record):
        return parties_text((p.organization.slug, p.role) for p in record.parties.all())


class FundingResource(RegistryResource):
    """Money for oncology as stated: an amount with its currency, or a relative statement."""

    label = _("funding")
    resource_name = "funding"
    slug_from = ("purpose",)

    slug = text("slug", SLUG_MEANING)
    purpose = text("purpose", _("What the money is for, in English."), required=True)
    purpose_ru = text("purpose_ru", _("Purpose in Russian, if known."))
    purpose_kk = text("purpose_kk", _("Purpose in Kazakh, if known."))
    amount = number("amount", _("The amount as stated, e.g. 170000000000; empty if none."))
    currency = choice("currency", Currency.choices, _("Currency of the amount."))
    amount_qualifier = choice(
        "amount_qualifier",
        Qualifier.choices,
        _("How exact the amount is. Empty: exactly."),
        default=Qualifier.EXACT,
    )
    period = choice(
        "period", FundingPeriod.choices, _("Annual, one-off or multi-year."), required=True
    )
    statement = text(
        "statement", _("A change stated without amounts, kept as written ('increased sixfold').")
    )
    funder = slug_of("funder", Organization, _("Slug of the organisation that pays, if named."))
    funder_description = text(
        "funder_description",
        _("How the source names the payer when it is not an organisation (e.g. the state)."),
    )
    recipient = slug_of(
        "recipient", Organization, _("Slug of the organisation that receives it, if named.")
    )
    agreement = slug_of("agreement", Agreement, _("Slug of the agreement it comes with, if any."))
    date_year, date_month, date_day, date_precision, date_qualifier = partial_date_columns()

    class Meta:
        model = Funding
        fields = (
            "slug",
            "purpose",
            "purpose_ru",
            "purpose_kk",
            "amount",
            "currency",
            "amount_qualifier",
            "period",
            "statement",
            "funder",
            "funder_description",
            "recipient",
            "agreement",
            *DATE_COLUMNS,
            "source",
            "quote",
        )
        import_id_fields = ("slug",)
        skip_unchanged = True
        report_skipped = True
        use_transactions = True
        skip_diff = True

    def filter_export(self, queryset, **kwargs):
        queryset = queryset.select_related("funder", "recipient", "agreement")
        return super().filter_export(queryset, **kwargs)

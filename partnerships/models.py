from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from centers.models import Organization
from oncoregistry.core.choices import Qualifier
from oncoregistry.core.derived import Derived, qualified_amount
from oncoregistry.core.models import (
    QUANTITY_DIGITS,
    PartialDateModel,
    RegistryModel,
    TrackedModel,
    partial_date_constraints,
    qualifier_constraint,
)
from oncoregistry.core.search import search_text_field
from oncoregistry.core.translation import translations
from oncoregistry.core.uniqueness import NaturalKey, NaturalKeyModel


class AgreementKind(models.TextChoices):
    MEMORANDUM = "memorandum", _("memorandum")
    AGREEMENT = "agreement", _("agreement")
    CONTRACT_MANUFACTURING = "contract_manufacturing", _("contract manufacturing")
    TECHNOLOGY_TRANSFER = "technology_transfer", _("technology transfer")


class AgreementStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    SIGNED = "signed", _("signed")
    IN_FORCE = "in_force", _("in force")
    COMPLETED = "completed", _("completed")
    TERMINATED = "terminated", _("terminated")


class Agreement(RegistryModel, PartialDateModel):
    """A memorandum or agreement; its date is the signing (or launch) date as stated."""

    Kind = AgreementKind
    Status = AgreementStatus

    title = models.CharField(_("title"), max_length=300)
    title_ru, title_kk = translations(title)
    kind = models.CharField(_("kind"), max_length=32, choices=AgreementKind.choices, db_index=True)
    status = models.CharField(
        _("status"), max_length=16, choices=AgreementStatus.choices, default=AgreementStatus.SIGNED
    )
    place = models.CharField(_("place"), max_length=200, blank=True)
    place_ru, place_kk = translations(place)
    summary = models.TextField(_("summary"), blank=True)
    summary_ru, summary_kk = translations(summary)
    organizations = models.ManyToManyField(
        Organization,
        through="AgreementParty",
        related_name="agreements",
        verbose_name=_("organizations"),
    )

    #: Its names in every language, found by search in either script (core/search.py).
    search_sources = ("title", "title_ru", "title_kk")
    search_text = search_text_field()

    class Meta:
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        ordering = ["-date", "title"]
        constraints = [
            *partial_date_constraints(),
            models.CheckConstraint(
                condition=models.Q(kind__in=AgreementKind.values),
                name="partnerships_agreement_kind_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=AgreementStatus.values),
                name="partnerships_agreement_status_valid",
            ),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        signed_states = {
            AgreementStatus.SIGNED,
            AgreementStatus.IN_FORCE,
            AgreementStatus.COMPLETED,
        }
        derived = self._derive_date()
        if self.status in signed_states and derived and derived > timezone.localdate():
            raise ValidationError(
                {
                    "date_year": _(
                        "An agreement marked signed cannot have a signing date in the future "
                        "(%(date)s). Mark it planned, or correct the date."
                    )
                    % {"date": derived.isoformat()}
                }
            )


AGREEMENT_PARTY_KEY = NaturalKey(
    "agreement",
    "organization",
    name="partnerships_party_unique",
    label=_("agreement and organisation (one role per party)"),
)


class AgreementParty(NaturalKeyModel, TrackedModel):
    natural_key_spec = AGREEMENT_PARTY_KEY

    class Role(models.TextChoices):
        SIGNATORY = "signatory", _("signatory")
        PARTNER = "partner", _("partner")
        MANUFACTURER = "manufacturer", _("manufacturer")
        BENEFICIARY = "beneficiary", _("beneficiary")
        WITNESS = "witness", _("witness")

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="parties", verbose_name=_("agreement")
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="agreement_parties",
        verbose_name=_("organization"),
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)

    class Meta:
        verbose_name = _("agreement party")
        verbose_name_plural = _("agreement parties")
        ordering = ["agreement_id", "id"]
        constraints = [AGREEMENT_PARTY_KEY.constraint()]

    def __str__(self):
        return f"{self.organization.name} ({self.get_role_display()})"


class FocusArea(TrackedModel):
    """One numbered area of cooperation in an agreement."""

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="focus_areas", verbose_name=_("agreement")
    )
    order = models.PositiveSmallIntegerField(_("order"))
    title = models.CharField(_("title"), max_length=300)
    title_ru, title_kk = translations(title)
    description = models.TextField(_("description"), blank=True)
    description_ru, description_kk = translations(description)

    class Meta:
        verbose_name = _("focus area")
        verbose_name_plural = _("focus areas")
        ordering = ["agreement_id", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "order"], name="partnerships_focusarea_order_unique"
            ),
        ]

    def __str__(self):
        return f"{self.order}. {self.title}"


class Currency(models.TextChoices):
    KZT = "KZT", _("tenge (KZT)")
    USD = "USD", _("US dollar (USD)")
    EUR = "EUR", _("euro (EUR)")
    GBP = "GBP", _("pound sterling (GBP)")
    RUB = "RUB", _("rouble (RUB)")


class FundingPeriod(models.TextChoices):
    ANNUAL = "annual", _("annual")
    ONE_OFF = "one_off", _("one-off")
    MULTI_YEAR = "multi_year", _("multi-year")


class Funding(RegistryModel, PartialDateModel):
    """Money for oncology, as stated: an amount, or a relative statement kept as words."""

    Period = FundingPeriod

    funder = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="funding_given",
        help_text=_("Empty when the source does not say who pays."),
        verbose_name=_("funder"),
    )
    funder_description = models.CharField(
        _("funder as described"),
        max_length=200,
        blank=True,
        help_text=_(
            "How the source names the payer when it is not an organisation (e.g. the state)."
        ),
    )
    funder_description_ru, funder_description_kk = translations(funder_description)
    recipient = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="funding_received",
        verbose_name=_("recipient"),
    )
    amount = models.DecimalField(
        _("amount"),
        max_digits=QUANTITY_DIGITS,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices, blank=True)
    amount_qualifier = models.CharField(
        _("amount qualifier"), max_length=10, choices=Qualifier.choices, default=Qualifier.EXACT
    )
    period = models.CharField(_("period"), max_length=12, choices=FundingPeriod.choices)
    purpose = models.CharField(_("purpose"), max_length=300)
    purpose_ru, purpose_kk = translations(purpose)
    statement = models.CharField(
        _("relative statement"),
        max_length=300,
        blank=True,
        help_text=_("A change stated without amounts, kept as written: 'increased sixfold'."),
    )
    agreement = models.ForeignKey(
        Agreement,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="funding",
        verbose_name=_("agreement"),
    )

    class Meta:
        verbose_name = _("funding")
        verbose_name_plural = _("funding")
        ordering = ["-date", "purpose"]
        constraints = [
            *partial_date_constraints(),
            qualifier_constraint("amount_qualifier", "amount_qualifier"),
            models.CheckConstraint(
                condition=models.Q(amount__isnull=True) | models.Q(amount__gte=0),
                name="partnerships_funding_amount_non_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(amount__isnull=True) | ~models.Q(currency=""),
                name="partnerships_funding_amount_has_currency",
            ),
            models.CheckConstraint(
                condition=models.Q(amount__isnull=False) | ~models.Q(statement=""),
                name="partnerships_funding_amount_or_statement",
            ),
            models.CheckConstraint(
                condition=models.Q(currency="") | models.Q(currency__in=Currency.values),
                name="partnerships_funding_currency_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(period__in=FundingPeriod.values),
                name="partnerships_funding_period_valid",
            ),
        ]
        indexes = [models.Index(fields=["currency", "period"], name="funding_currency_period_idx")]

    def __str__(self):
        if self.amount is None:
            return f"{self.purpose}: {self.statement}"
        return f"{self.purpose}: {self.amount_display}"

    amount_display = Derived(
        qualified_amount, "amount", "currency", "amount_qualifier", "statement"
    )

    def clean(self):
        super().clean()
        errors = {}
        if self.amount is None and not self.statement:
            errors["amount"] = _(
                "Give an amount, or the source's relative statement when it states no amount."
            )
        if self.amount is not None and self.amount < 0:
            errors["amount"] = _("An amount cannot be negative.")
        if self.amount is not None and not self.currency:
            errors["currency"] = _("An amount needs its currency; tenge and dollars never mix.")
        if errors:
            raise ValidationError(errors)

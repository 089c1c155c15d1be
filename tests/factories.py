"""One factory per model. A factory for a cited record also creates its citation,
so tests look like real data (every fact has a source), and records are published (reviewed,
as the fixtures load): a test of the review workflow asks for ``publication_state="draft"``."""

import importlib

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType

from centers.models import (
    CapacityFigure,
    Designation,
    Equipment,
    Metric,
    Organization,
    OrganizationIdentifier,
    Region,
)
from oncoregistry.sources.models import Citation, Source
from oncoregistry.stats.models import StatisticSnapshot
from partnerships.models import Agreement, AgreementParty, FocusArea, Funding
from therapies.models import CancerType, Therapy, TherapyOffering

SOURCE_TEXT = (
    "The center performs about 12,000 procedures annually and can treat up to 1,000 "
    "patients. Over 170 billion tenge is allocated each year."
)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("correct horse battery staple")


def editors_group():
    """The Editors group its data migrations made; rebuilt the same way when a transactional
    test (browser tests) has flushed the tables since."""
    if not Group.objects.filter(name="Editors").exists():
        from django.apps import apps

        for module in (
            "oncoregistry.core.migrations.0001_editors_group",
            "reference.migrations.0002_editors_permissions",
            "oncoregistry.review.migrations.0002_reviewers_group",
        ):
            migration = importlib.import_module(module)
            run = (
                getattr(migration, "create_editors_group", None)
                or getattr(migration, "create_reviewers_group", None)
                or migration.grant
            )
            run(apps, None)
    return Group.objects.get(name="Editors")


def reviewers_group():
    """The Reviewers group its data migration made; rebuilt the same way when a
    transactional test has flushed it."""
    if not Group.objects.filter(name="Reviewers").exists():
        from django.apps import apps

        migration = importlib.import_module("oncoregistry.review.migrations.0002_reviewers_group")
        migration.create_reviewers_group(apps, None)
    return Group.objects.get(name="Reviewers")


class EditorFactory(UserFactory):
    is_staff = True

    @factory.post_generation
    def editors_group(self, create, extracted, **kwargs):
        if create:
            self.groups.add(editors_group())


class ReviewerFactory(UserFactory):
    """A reviewer who also edits (as a ministry's reviewers do): both groups."""

    is_staff = True
    username = factory.Sequence(lambda n: f"reviewer{n}")

    @factory.post_generation
    def groups_of_a_reviewer(self, create, extracted, **kwargs):
        if create:
            self.groups.add(editors_group(), reviewers_group())


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source
        django_get_or_create = ("slug",)

    publication_state = "published"  # reviewed data, as the fixtures load

    slug = factory.Sequence(lambda n: f"source-{n}")
    title = factory.Sequence(lambda n: f"Article {n} on oncology in Kazakhstan")
    publisher = "Test Times"
    text = SOURCE_TEXT


class CitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Citation

    publication_state = "published"  # reviewed data, as the fixtures load

    source = factory.SubFactory(SourceFactory)
    quote = "about 12,000 procedures annually"
    content_type = factory.LazyAttribute(lambda c: ContentType.objects.get_for_model(c.target))
    object_id = factory.LazyAttribute(lambda c: c.target.pk)

    class Params:
        target = factory.SubFactory("tests.factories.RegionFactory")


class CitedFactory(factory.django.DjangoModelFactory):
    """Creates one citation for the record unless ``cited=False``."""

    class Meta:
        abstract = True

    @factory.post_generation
    def cited(self, create, extracted, **kwargs):
        if create and extracted is not False:
            kwargs.setdefault("publication_state", self.publication_state)
            CitationFactory(target=self, **kwargs)


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("slug",)

    publication_state = "published"  # reviewed data, as the fixtures load

    slug = factory.Sequence(lambda n: f"region-{n}")
    name = factory.Sequence(lambda n: f"Region {n}")
    name_ru = factory.Sequence(lambda n: f"Область {n}")
    name_kk = factory.Sequence(lambda n: f"{n} облысы")
    kind = Region.Kind.REGION
    administrative_center = factory.Sequence(lambda n: f"Town {n}")
    latitude = "48.00000"
    longitude = "68.00000"
    grid_row = factory.Sequence(lambda n: 10 + n // 10)
    grid_col = factory.Sequence(lambda n: n % 10)


class OrganizationFactory(CitedFactory):
    class Meta:
        model = Organization
        django_get_or_create = ("slug",)

    publication_state = "published"  # reviewed data, as the fixtures load

    slug = factory.Sequence(lambda n: f"organization-{n}")
    name = factory.Sequence(lambda n: f"Oncology Center {n}")
    kind = Organization.Kind.ONCOLOGY_CENTER
    region = factory.SubFactory(RegionFactory)
    city = factory.LazyAttribute(lambda o: o.region.administrative_center if o.region else "")
    status = Organization.Status.OPERATING


class OrganizationIdentifierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrganizationIdentifier

    publication_state = "published"  # reviewed data, as the fixtures load

    organization = factory.SubFactory(OrganizationFactory)
    system = OrganizationIdentifier.System.BIN
    value = factory.Sequence(lambda n: f"{n:012d}")


class EquipmentFactory(CitedFactory):
    class Meta:
        model = Equipment

    publication_state = "published"  # reviewed data, as the fixtures load

    slug = factory.Sequence(lambda n: f"equipment-{n}")
    organization = factory.SubFactory(OrganizationFactory)
    category = Equipment.Category.LINEAR_ACCELERATOR
    name = factory.Sequence(lambda n: f"Accelerator {n}")
    # One line per organisation, category, maker and model (a natural key).
    model_name = factory.Sequence(lambda n: f"Model {n}")
    count = 1


class MetricFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Metric
        django_get_or_create = ("slug",)

    publication_state = "published"  # reviewed data, as the fixtures load

    slug = factory.Sequence(lambda n: f"metric-{n}")
    name = factory.Sequence(lambda n: f"Procedures of kind {n}")
    unit = "procedures"


class CapacityFigureFactory(CitedFactory):
    class Meta:
        model = CapacityFigure

    publication_state = "published"  # reviewed data, as the fixtures load

    slug = factory.Sequence(lambda n: f"capacity-{n}")
    organization = factory.SubFactory(OrganizationFactory)
    metric = factory.SubFactory(MetricFactory)
    value = 100
    qualifier = "exact"
    kind = CapacityFigure.Kind.CAPACITY
    period = CapacityFigure.Period.PER_YEAR


class DesignationFactory(CitedFactory):
    class Meta:
        model = Designation

    publication_state = "published"  # reviewed data, as the fixtures load

    slug = factory.Sequence(lambda n: f"designation-{n}")
    organization = factory.SubFactory(OrganizationFactory)
    awarding_body = factory.SubFactory(
        OrganizationFactory, kind=Organization.Kind.INTERNATIONAL_ORGANIZATION, region=None
    )
    title = "Anchor Center"
    status = Designation.Status.PURSUING


class CancerTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CancerType
        django_get_or_create = ("slug",)

    publication_state = "published"  # reviewed data, as the fixtures load

    slug = factory.Sequence(lambda n: f"cancer-type-{n}")
    name = factory.Sequence(lambda n: f"Cancer type {n}")


class TherapyFactory(CitedFactory):
    class Meta:
        model = Therapy
        django_get_or_create = ("slug",)

    publication_state = "published"  # reviewed data, as the fixtures load

    slug = factory.Sequence(lambda n: f"therapy-{n}")
    name = factory.Sequence(lambda n: f"Therapy {n}")
    modality = "cell_therapy"


class TherapyOfferingFactory(CitedFactory):
    class Meta:
        model = TherapyOffering

    publication_state = "published"  # reviewed data, as the fixtures load

    slug = factory.Sequence(lambda n: f"offering-{n}")
    therapy = factory.SubFactory(TherapyFactory)
    organization = factory.SubFactory(OrganizationFactory)
    role = TherapyOffering.Role.PROVIDER
    stage = "routine_service"


class AgreementFactory(CitedFactory):
    class Meta:
        model = Agreement

    publication_state = "published"  # reviewed data, as the fixtures load

    slug = factory.Sequence(lambda n: f"agreement-{n}")
    title = factory.Sequence(lambda n: f"Memorandum {n}")
    kind = Agreement.Kind.MEMORANDUM
    status = Agreement.Status.SIGNED
    date_year = 2024
    date_month = 4
    date_precision = "month"


class AgreementPartyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgreementParty

    publication_state = "published"  # reviewed data, as the fixtures load

    agreement = factory.SubFactory(AgreementFactory)
    organization = factory.SubFactory(OrganizationFactory)
    role = AgreementParty.Role.SIGNATORY


class FocusAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FocusArea

    publication_state = "published"  # reviewed data, as the fixtures load

    agreement = factory.SubFactory(AgreementFactory)
    order = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Area {n}")


class FundingFactory(CitedFactory):
    class Meta:
        model = Funding

    publication_state = "published"  # reviewed data, as the fixtures load

    slug = factory.Sequence(lambda n: f"funding-{n}")
    funder = factory.SubFactory(OrganizationFactory, kind=Organization.Kind.GOVERNMENT_BODY)
    amount = 1000000
    currency = "KZT"
    period = Funding.Period.ANNUAL
    purpose = "Oncology care"


class StatisticSnapshotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StatisticSnapshot
        django_get_or_create = ("key",)

    key = factory.Sequence(lambda n: f"snapshot-{n}")
    payload = factory.LazyFunction(dict)
    computed_at = factory.Faker("date_time", tzinfo=__import__("datetime").timezone.utc)

"""``manage.py generate_synthetic --organizations N [--seed S]``: synthetic data at scale.

See :mod:`oncoregistry.tooling.synthetic`: COPY on PostgreSQL, ``bulk_create`` elsewhere.
Loads the regions (fixtures/01_regions.json) first when the database has none.
"""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from centers.models import Region
from oncoregistry.tooling import synthetic


class Command(BaseCommand):
    help = "Fill the database with reproducible synthetic registry data (slugs 'syn-…')."

    def add_arguments(self, parser):
        parser.add_argument("--organizations", type=int, required=True)
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, organizations, seed, **options):
        if organizations < 1:
            raise CommandError("--organizations must be at least 1.")
        if not Region.objects.exists():
            from oncoregistry.tooling.fixtures import load_fixture_files

            load_fixture_files([settings.BASE_DIR / "fixtures" / "01_regions.json"])
        started = time.perf_counter()
        verbose = options.get("verbosity", 1) > 1
        writer = synthetic.writer_for()
        try:
            counts = synthetic.generate(
                organizations,
                seed=seed,
                writer=writer,
                log=(lambda message: self.stdout.write(f"  {message}")) if verbose else None,
            )
        except RuntimeError as error:
            raise CommandError(str(error)) from error
        elapsed = time.perf_counter() - started
        rows = sum(counts.values())
        self.stdout.write(
            f"Generated {rows:,} rows for {organizations:,} organizations "
            f"(seed {seed}) in {elapsed:.1f} s with "
            f"{'COPY' if isinstance(writer, synthetic.CopyWriter) else 'bulk_create'}: "
            + ", ".join(f"{name} {count:,}" for name, count in counts.items())
        )

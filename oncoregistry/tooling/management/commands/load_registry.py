from django.core.management.base import BaseCommand, CommandError

from oncoregistry.tooling.fixtures import FixtureError, load_fixture_files


class Command(BaseCommand):
    help = (
        "Load the registry's fixtures (all of fixtures/*.json by default) atomically and "
        "idempotently: a second run changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="*", help="Fixture files; default: fixtures/*.json")

    def handle(self, *args, paths, **options):
        try:
            report = load_fixture_files(paths or None)
        except FixtureError as error:
            raise CommandError(f"Nothing was loaded: {error}") from None
        self.stdout.write(self.style.SUCCESS(f"Fixtures loaded: {report.summary()}"))

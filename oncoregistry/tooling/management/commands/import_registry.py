from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from oncoregistry.tooling.registry_archive import ArchiveError
from oncoregistry.tooling.registry_restore import import_registry


class Command(BaseCommand):
    help = (
        "Restore an archive written by export_registry into an empty, migrated database, "
        "in one transaction: everything is restored or nothing is."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The archive written by export_registry")
        parser.add_argument("--database", default="default")

    def handle(self, *args, path, database, **options):
        unlinked = set()
        try:
            restored = import_registry(path, using=database, unlinked=unlinked)
        except ArchiveError as error:
            raise CommandError(f"Nothing was imported: {error}") from None
        except DatabaseError as error:
            raise CommandError(
                f"Nothing was imported: the database refused the archive ({error})."
            ) from None
        rows = sum(restored.values())
        self.stdout.write(
            self.style.SUCCESS(f"Imported {rows} rows into {len(restored)} tables from {path}")
        )
        if unlinked:
            self.stdout.write(
                "The history names users with no account in this database, kept without "
                f"their account: {', '.join(sorted(unlinked))}. Create those accounts before "
                "importing to keep them linked."
            )

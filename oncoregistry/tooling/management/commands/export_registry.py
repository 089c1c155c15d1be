from django.core.management.base import BaseCommand, CommandError

from oncoregistry.tooling.registry_archive import ArchiveError, export_registry


class Command(BaseCommand):
    help = (
        "Write the whole registry (records, citations, change history and statistics; no "
        "user accounts, passwords, tokens or sessions) to a portable .zip archive that "
        "import_registry restores into an empty database."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="Where to write the archive, e.g. registry-2026-01-31.zip")
        parser.add_argument("--database", default="default")

    def handle(self, *args, path, database, **options):
        try:
            manifest = export_registry(path, using=database)
        except (ArchiveError, OSError) as error:
            raise CommandError(f"No archive was written: {error}") from None
        rows = sum(manifest["tables"].values())
        self.stdout.write(
            self.style.SUCCESS(
                f"Exported {rows} rows from {len(manifest['tables'])} tables to {path}"
            )
        )

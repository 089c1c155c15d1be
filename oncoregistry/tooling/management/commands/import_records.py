from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from oncoregistry.imports.reports import ImportFileError, read_table, run_import
from oncoregistry.tooling.spreadsheets import RESOURCES


class Command(BaseCommand):
    help = (
        "Import a CSV or XLSX file of registry records. A dry run comes first and its report "
        "is printed row by row; the file is written, in one transaction, only when no row is "
        "refused and --dry-run is not given. Imported records are drafts until reviewed."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The .csv (UTF-8) or .xlsx file")
        parser.add_argument("--resource", required=True, choices=sorted(RESOURCES))
        parser.add_argument(
            "--dry-run", action="store_true", help="Report what would change; write nothing."
        )

    def handle(self, *args, file, resource, dry_run, **options):
        path = Path(file)
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}.") from None
        try:
            dataset = read_table(data, path.name)
        except ImportFileError as error:
            raise CommandError(f"Nothing was imported: {error}") from None
        resource_class = RESOURCES[resource]
        report = run_import(resource_class, dataset, file_name=path.name, dry_run=True)
        if report.ok and not dry_run:
            report = run_import(resource_class, dataset, file_name=path.name, dry_run=False)
        self.stdout.write(report.as_text())
        if not report.ok:
            raise CommandError(
                f"Nothing was imported: {len(report.refused)} rows refused"
                + (f", {len(report.problems)} problems with the file" if report.problems else "")
                + "."
            )

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from oncoregistry.imports.reports import run_file
from oncoregistry.imports.tables import ImportFileError, Table
from oncoregistry.tooling.spreadsheets import RESOURCES


class Command(BaseCommand):
    help = (
        "Import a CSV or XLSX file of registry records. A dry run comes first and its report "
        "is printed row by row; the file is written, in one transaction, only when no row is "
        "refused and --dry-run is not given. Imported records are drafts until reviewed. The "
        "file is read a chunk of rows at a time."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The .csv (UTF-8) or .xlsx file")
        parser.add_argument("--resource", required=True, choices=sorted(RESOURCES))
        parser.add_argument(
            "--dry-run", action="store_true", help="Report what would change; write nothing."
        )

    def handle(self, *args, file, resource, dry_run, **options):
        self.verbosity = options.get("verbosity", 1)
        path = Path(file)
        try:
            with path.open("rb") as opened:
                report = self.run(opened, path.name, RESOURCES[resource], dry_run)
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}.") from None
        except ImportFileError as error:
            raise CommandError(f"Nothing was imported: {error}") from None
        self.stdout.write(report.as_text())
        if not report.ok:
            raise CommandError(
                f"Nothing was imported: {len(report.refused)} rows refused"
                + (f", {len(report.problems)} problems with the file" if report.problems else "")
                + "."
            )

    def run(self, file, name, resource_class, dry_run):
        table = Table(file, name)
        total = table.count()

        def progress(done):
            # With -v2, on stderr: stdout is the report (a script may read it).
            if self.verbosity > 1:
                self.stderr.write(f"{done} of {total} rows")

        report = run_file(resource_class, table, file_name=name, progress=progress)
        if report.ok and not dry_run:
            report = run_file(
                resource_class, table, file_name=name, dry_run=False, progress=progress
            )
        return report

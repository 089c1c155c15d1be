from django.core.management.base import BaseCommand

from commitments.services import commitments_refresh


class Command(BaseCommand):
    help = "Rebuild the commitments from the records and their history, with today's status."

    def handle(self, *args, **options):
        count = commitments_refresh()
        self.stdout.write(f"{count} commitments")

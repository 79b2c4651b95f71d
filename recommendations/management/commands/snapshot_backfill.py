from django.core.management.base import BaseCommand

from recommendations import services


class Command(BaseCommand):
    help = (
        "Rebuild the missing month-end snapshots of every force from the timeline (for data "
        "that predates the snapshot job), and record today's."
    )

    def add_arguments(self, parser):
        parser.add_argument("--months", type=int, default=12)

    def handle(self, *args, months: int, **options):
        written = services.snapshot_backfill(months=months)
        forces = services.snapshot_record()
        self.stdout.write(f"Rebuilt {written} month-end snapshots; recorded today's for {forces}.")

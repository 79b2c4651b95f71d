import json
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from notifications.services import reminders_run


class Command(BaseCommand):
    help = (
        "Plan the reminders, escalations and digests due today (or on --as-of) and send "
        "everything outstanding, synchronously. Safe to run any number of times."
    )

    def add_arguments(self, parser):
        parser.add_argument("--as-of", help="Plan for this day (YYYY-MM-DD) instead of today.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Write and send nothing; report the plan."
        )
        parser.add_argument(
            "--json", action="store_true", dest="as_json", help="Print one JSON object."
        )

    def handle(self, *args, as_of=None, dry_run=False, as_json=False, **options):
        try:
            day = date.fromisoformat(as_of) if as_of else None
        except ValueError as error:
            raise CommandError(f"--as-of must be a date as YYYY-MM-DD, not {as_of!r}.") from error
        report = reminders_run(as_of=day, dry_run=dry_run)
        if as_json:
            self.stdout.write(json.dumps(report.as_dict(), sort_keys=True))
            return
        data = report.as_dict()
        what = "Would plan" if dry_run else "Planned"
        self.stdout.write(
            f"{report.as_of:%A %d %B %Y}: "
            f"{'a working day' if report.working_day else 'not a working day'}; "
            f"planning {report.planning}."
        )
        self.stdout.write(f"{what} {report.planned}: {data['planned_by_kind']}")
        for row in data["preview"]:
            self.stdout.write(f"  {row['kind']} {row['key']} to user {row['recipient']}")
        if not dry_run:
            self.stdout.write(
                "Sent {sent}, retrying {retrying}, failed {failed}, held for digest {held}, "
                "turned off {suppressed}, cancelled {cancelled}, unknown {unknown}.".format(**data)
            )
        for message in report.errors:
            self.stderr.write(message)

"""``python manage.py evidence_orphans [--delete]``: evidence files that no evidence row names.

A process killed between writing an uploaded file and committing its row leaves the file
behind (a failed or refused upload cleans up after itself). This lists such files, and with
``--delete`` removes them. Files younger than ``--min-age`` minutes are only reported: their
upload may still be committing. Rows whose file is missing from storage are reported too.
"""

from __future__ import annotations

from datetime import timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone

from recommendations.models import Evidence

ROOT = "evidence"


def stored_files(storage, directory: str = ROOT):
    """Every file under `directory` in storage, as names storage understands."""
    if not storage.exists(directory):
        return
    directories, files = storage.listdir(directory)
    for name in files:
        yield f"{directory}/{name}"
    for name in directories:
        yield from stored_files(storage, f"{directory}/{name}")


class Command(BaseCommand):
    help = (
        "Report evidence files in storage that no evidence row references (left by a process "
        "killed during an upload); --delete removes those older than --min-age minutes."
    )

    def add_arguments(self, parser):
        parser.add_argument("--delete", action="store_true", help="Remove the orphan files.")
        parser.add_argument(
            "--min-age",
            type=int,
            default=60,
            metavar="MINUTES",
            help="Leave files younger than this alone: their upload may be in flight (60).",
        )

    def handle(self, *args, delete: bool, min_age: int, **options):
        storage = Evidence._meta.get_field("file").storage
        referenced = set(Evidence.objects.exclude(file="").values_list("file", flat=True))
        cutoff = timezone.now() - timedelta(minutes=max(min_age, 0))
        orphans = deleted = recent = 0
        seen = set()
        for name in stored_files(storage):
            seen.add(name)
            if name in referenced:
                continue
            orphans += 1
            if storage.get_modified_time(name) > cutoff:
                recent += 1
                self.stdout.write(f"orphan (recent, kept): {name}")
            elif delete:
                storage.delete(name)
                deleted += 1
                self.stdout.write(f"orphan (deleted): {name}")
            else:
                self.stdout.write(f"orphan: {name}")
        missing = sorted(n for n in referenced - seen if not storage.exists(n))
        for name in missing:
            self.stdout.write(f"missing from storage: {name}")
        self.stdout.write(
            f"{orphans} orphan file(s), {deleted} deleted, {recent} too recent to delete; "
            f"{len(missing)} evidence file(s) missing from storage."
        )

from django.core.management.base import BaseCommand

from notifications.scheduling import register_schedules


class Command(BaseCommand):
    help = (
        "Register the periodic jobs with the active runner (TRACKER_TASK_RUNNER). "
        "Idempotent; `migrate` also does it."
    )

    def handle(self, *args, **options):
        for line in register_schedules():
            self.stdout.write(line)

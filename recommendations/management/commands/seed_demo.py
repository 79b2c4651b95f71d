import os

from django.core.management.base import BaseCommand

from recommendations.demo.loader import DEMO_USERS, demo_load


class Command(BaseCommand):
    help = (
        "Load the demo: Cleveland Police's published findings, a fictional second force "
        "and one user per role. Running it again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--password",
            default=None,
            help="Password for every demo user (default: $DEMO_PASSWORD, or 'demo').",
        )

    def handle(self, *args, password=None, **options):
        password = password or os.environ.get("DEMO_PASSWORD") or "demo"
        result = demo_load(password=password)
        if result.created:
            self.stdout.write(self.style.SUCCESS("Demo data loaded."))
            self.stdout.write(f"Demo users (password: {password}):")
        else:
            self.stdout.write("Demo data is already loaded; nothing changed.")
            self.stdout.write("Demo users (password as set when first loaded):")
        for username, role, force, _name in DEMO_USERS:
            where = f", {force}" if force else ""
            self.stdout.write(f"  {username:<18} {role.label}{where}")

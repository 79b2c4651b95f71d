"""``python manage.py import_report PATH --force NAME``: import a publication from the shell.

PATH is a file (.txt, .pdf, .html or .docx), - for standard input, or a publication's web
address on an allowed host (fetched as the web import fetches it).

An administrator's tool: it runs as the system (no actor on the timeline) and so does not need
an inspector assigned to the force, but it validates everything the web import validates, and
writes nothing when anything is wrong.
"""

from __future__ import annotations

import difflib
import json
import sys
from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from recommendations.importing import PublicationParseError
from recommendations.importing.fetch import is_address
from recommendations.importing.intake import publication_read
from recommendations.importing.sources import (
    default_title,
    guess_programme,
    import_max_bytes,
    register_published_on,
    size_limit_message,
)
from recommendations.models import Force, Programme
from recommendations.services.imports import publication_import
from tracker.errors import ServiceError

LIST_FORCES = "python manage.py import_report --list-forces"


def _iso_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"“{value}” is not a date: write it as YYYY-MM-DD.") from error


def _one_line(message: str) -> str:
    return " ".join(str(message).split())


class Command(BaseCommand):
    help = (
        "Import an HMICFRS publication (register page, report or letter: a .txt, .pdf, .html "
        "or .docx file, - for standard input, or its web address on an allowed host) for one "
        "force. An administrator's tool: it runs as the system without the inspector "
        "permission check, but validates everything and writes nothing when anything is "
        "wrong. Dates given here override dates stated in the text."
    )
    stealth_options = ("stdin",)

    def add_arguments(self, parser):
        parser.add_argument(
            "path",
            nargs="?",
            help="A .txt, .pdf, .html or .docx file, - for stdin, or the publication's web "
            "address (https://, on an allowed host).",
        )
        parser.add_argument("--force", help="The force's name or slug, e.g. 'Cleveland Police'.")
        parser.add_argument("--published", type=_iso_date, help="Publication date, YYYY-MM-DD.")
        parser.add_argument("--issued", type=_iso_date, help="Date issued to the force.")
        parser.add_argument(
            "--programme",
            choices=Programme.values,
            help="Inspection programme (default: worked out from the title, else 'other').",
        )
        parser.add_argument("--title", help="The title, when the text does not state it.")
        parser.add_argument("--source-url", default="", help="Web address of the publication.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check and show everything; write nothing."
        )
        parser.add_argument("--json", action="store_true", help="Print one JSON object.")
        parser.add_argument(
            "--list-forces", action="store_true", help="List the force names and exit."
        )

    def handle(self, *args, **options):
        if options["list_forces"]:
            for force in Force.objects.order_by("name"):
                self.stdout.write(f"{force.name}\t{force.slug}")
            return
        if not options["path"]:
            raise CommandError(
                "Give the PATH of a .txt, .pdf, .html or .docx file, - for standard input, or "
                "the publication's web address."
            )
        force = self._force(options["force"])
        path = options["path"]
        dates = {"published_on": options["published"], "issued_on": options["issued"]}
        try:
            if is_address(path):
                read = publication_read(url=path.strip(), **dates)
            else:
                data = self._read(path, options.get("stdin"))
                read = publication_read(data=data, filename=path, **dates)
        except PublicationParseError as error:
            raise CommandError(_one_line(error.message)) from error
        parsed = read.parsed
        published_on = parsed.published_on or register_published_on(parsed)
        if published_on is None:
            raise CommandError(
                "The text does not state its publication date: give it with --published YYYY-MM-DD."
            )
        title = options["title"] or parsed.title
        if not title:
            title = default_title(force_name=force.name, published_on=published_on)
            self.stderr.write(f"The text states no title; using “{title}” (set it with --title).")
        try:
            result = publication_import(
                parsed=parsed,
                force=force,
                user=None,
                system=True,
                programme=options["programme"] or guess_programme(title),
                published_on=published_on,
                issued_on=parsed.issued_on,
                title=title,
                source_url=options["source_url"] or read.source_url,
                dry_run=options["dry_run"],
            )
        except ServiceError as error:
            raise CommandError(_one_line(error.message)) from error
        if options["json"]:
            self.stdout.write(json.dumps(result.to_json_dict(), ensure_ascii=False, indent=2))
            self.stderr.write(result.message)
            return
        self.stdout.write(result.message)
        if result.inspection is not None:
            where = f"{result.inspection.title} ({force}), inspection {result.inspection.pk}"
            self.stdout.write(where)

    def _force(self, name: str | None) -> Force:
        if not name:
            raise CommandError(
                f"Give the force with --force NAME; list the names with {LIST_FORCES}."
            )
        force = Force.objects.filter(Q(name__iexact=name.strip()) | Q(slug=name.strip())).first()
        if force is not None:
            return force
        names = list(Force.objects.values_list("name", flat=True))
        close = difflib.get_close_matches(name, names, n=1)
        hint = f" Did you mean “{close[0]}”?" if close else ""
        raise CommandError(
            f"No force is called “{name}”.{hint} List the force names with {LIST_FORCES}."
        )

    def _read(self, path: str, stdin) -> bytes:
        limit = import_max_bytes()
        if path == "-":
            stream = stdin or sys.stdin
            stream = getattr(stream, "buffer", stream)
            data = stream.read(limit + 1)
            if isinstance(data, str):
                data = data.encode("utf-8")
        else:
            file = Path(path)
            if not file.is_file():
                raise CommandError(f"There is no file at {path}.")
            if file.stat().st_size > limit:
                raise CommandError(size_limit_message(limit))
            try:
                data = file.read_bytes()
            except OSError as error:
                raise CommandError(
                    f"The file {path} could not be read: {error.strerror}."
                ) from error
        if len(data) > limit:
            raise CommandError(size_limit_message(limit))
        return data

import io
import json
from datetime import date

import pytest
from django.core.management import CommandError, call_command

from notifications.models import Notification
from tests import factories

pytestmark = pytest.mark.django_db


def test_json_has_one_object_with_the_promised_keys(clock, force, lead):
    clock(date(2026, 11, 23))
    factories.ItemFactory(inspection__force=force, due_on=date(2026, 11, 30))
    out = io.StringIO()
    call_command("send_reminders", "--json", "--as-of", "2026-11-23", stdout=out)
    report = json.loads(out.getvalue())
    assert {"planned", "sent", "failed", "working_day"} <= set(report)
    assert (report["planned"], report["sent"], report["failed"]) == (1, 1, 0)
    assert report["working_day"] is True and report["as_of"] == "2026-11-23"


def test_as_of_a_weekend_reports_a_non_working_day(clock):
    clock(date(2026, 11, 28))
    out = io.StringIO()
    call_command("send_reminders", "--json", "--as-of", "2026-11-28", stdout=out)
    report = json.loads(out.getvalue())
    assert report["working_day"] is False and report["planned"] == 0


def test_plain_output_and_dry_run(clock, force, lead):
    clock(date(2026, 11, 23))
    factories.ItemFactory(inspection__force=force, due_on=date(2026, 11, 30))
    out = io.StringIO()
    call_command("send_reminders", "--dry-run", stdout=out)
    text = out.getvalue()
    assert "Monday 23 November 2026: a working day" in text
    assert "Would plan 1" in text and "before-7@2026-11-30" in text
    assert not Notification.objects.exists()


def test_a_bad_date_is_refused():
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("send_reminders", "--as-of", "23/11/2026")

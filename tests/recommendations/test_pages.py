"""What each role sees on the pages: the item page's buttons, the dashboard's counts, the
review queue's order, the force overview, the inspection page; and the security around them
(Content-Security-Policy, no inline script or style, idle sessions, throttled sign-in)."""

from __future__ import annotations

import os
import re
from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from recommendations.models import Status
from tests import factories

pytestmark = pytest.mark.django_db

TODAY = date(2024, 6, 1)
BUTTON = re.compile(r'<button type="submit" class="govuk-button[^"]*"[^>]*>([^<]+)</button>')


@pytest.fixture(autouse=True)
def _fixed_today():
    with time_machine.travel(TODAY, tick=False):
        yield


def _at(day: date) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, 12))


def main(response) -> str:
    """The page's main content (the header holds the sign-out form)."""
    assert response.status_code == 200
    page = response.content.decode()
    return page[page.index('<main class="govuk-main-wrapper"') : page.index("</main>")]


def buttons(client, item) -> set[str]:
    return set(BUTTON.findall(main(client.get(item_url(item)))))


DECISION = re.compile(r'name="decision-transition" value="([a-z_]+)"')


def decisions(client, item) -> list[str]:
    """The transitions the item page offers (radios, or the one hidden choice)."""
    return DECISION.findall(main(client.get(item_url(item))))


def decide(client, item, transition: str, comment: str = "", **more):
    """Post the decision form as the page would, with the version the page showed."""
    page = main(client.get(item_url(item)))
    seen = re.search(r'name="decision-seen_version" value="([^"]*)"', page).group(1)
    data = {"decision-transition": transition, "decision-comment": comment}
    data["decision-seen_version"] = seen
    data.update({f"decision-{k}": v for k, v in more.items()})
    url = reverse("recommendations:item-transition", args=[item.pk])
    return client.post(url, data, follow=True)


def item_url(item) -> str:
    return reverse("recommendations:item-detail", args=[item.pk])


def test_force_lead_may_submit_but_never_complete(client, force, lead):
    item = factories.ItemFactory(inspection__force=force, status=Status.BEING_PROGRESSED)
    client.force_login(lead)
    seen = buttons(client, item)
    assert "Submit for review" in seen
    assert {"Add action", "Add progress update", "Add evidence", "Save owner"} <= seen
    assert "Ask for an extension" in seen and "Change due date" not in seen
    assert not seen & {"Complete", "Send back", "Stop tracking", "Reopen"}


def test_inspector_decides_an_awaiting_item(client, force, inspector):
    item = factories.ItemFactory(inspection__force=force, status=Status.AWAITING_REVIEW)
    client.force_login(inspector)
    seen = buttons(client, item)
    assert {"Save decision", "Change due date"} <= seen
    assert decisions(client, item) == ["complete", "send_back", "stop_tracking"]
    assert not seen & {"Submit for review", "Add action", "Add evidence", "Save owner", "Reopen"}


def test_action_owner_works_but_does_not_decide(client, force, owner):
    item = factories.ItemFactory(inspection__force=force, status=Status.BEING_PROGRESSED)
    client.force_login(owner)
    seen = buttons(client, item)
    assert seen == {"Add action", "Add progress update", "Add evidence"}


def test_sponsor_sees_no_forms_at_all(client, force, sponsor, owner):
    item = factories.ItemFactory(inspection__force=force, status=Status.BEING_PROGRESSED)
    factories.ActionFactory(item=item, owner=owner)
    client.force_login(sponsor)
    content = main(client.get(item_url(item)))
    assert item.text in content
    assert "<form" not in content and "<button" not in content


def test_sponsor_named_as_action_owner_stays_read_only(client, force, lead, sponsor):
    item = factories.ItemFactory(inspection__force=force, status=Status.BEING_PROGRESSED)
    action = factories.ActionFactory(item=item, owner=sponsor)
    client.force_login(sponsor)
    url = reverse("recommendations:action-update", args=[item.pk, action.pk])
    response = client.post(
        url, {f"action-{action.pk}-description": "Changed", f"action-{action.pk}-status": "done"}
    )
    action.refresh_from_db()
    assert (response.status_code, action.description) == (403, "Review control room processes")
    assert "<form" not in main(client.get(item_url(item)))


def test_transitions_through_the_web(client, force, lead, inspector):
    item = factories.ItemFactory(inspection__force=force, status=Status.BEING_PROGRESSED)
    client.force_login(lead)
    response = decide(client, item, "submit_for_review", "Policy in place")
    page = main(response)
    assert response.redirect_chain == [(item_url(item), 302)]
    assert "govuk-notification-banner--success" in page
    assert "Submitted for review; the force&#x27;s inspectors have been told." in page
    assert "Awaiting review" in page
    assert "Being progressed → Awaiting review" in page
    assert "Policy in place" in page
    item.refresh_from_db()
    assert item.status == Status.AWAITING_REVIEW
    assert "Submit for review" not in buttons(client, item)  # it is with the inspector now

    client.force_login(inspector)
    page = main(decide(client, item, "complete", "Evidence accepted"))
    assert "Marked complete; the force lead has been told." in page
    assert "Awaiting review → Complete" in page and "Evidence accepted" in page
    assert buttons(client, item) == {"Reopen"}
    client.force_login(lead)
    assert buttons(client, item) == set()  # closed and locked for the force


def test_dashboard_counts_match_the_data(client, force, other_force, lead):
    inspection = factories.InspectionFactory(force=force)

    def make(due_on, status=Status.BEING_PROGRESSED):
        factories.ItemFactory(inspection=inspection, due_on=due_on, status=status)

    make(TODAY - timedelta(days=1))  # overdue
    make(TODAY - timedelta(days=200), Status.AWAITING_REVIEW)  # overdue
    make(TODAY - timedelta(days=10), Status.COMPLETE)  # closed: not overdue
    make(TODAY)  # due soon
    make(TODAY + timedelta(days=30), Status.AWAITING_REVIEW)  # due soon
    make(TODAY + timedelta(days=31))  # later
    make(TODAY + timedelta(days=5), Status.NO_FURTHER_ACTION_NEEDED)  # closed
    factories.AreaForImprovementFactory(inspection=inspection, new=True)  # new: force's turn
    factories.ItemFactory(
        inspection=inspection,
        due_on=TODAY + timedelta(days=60),
        status=Status.BEING_PROGRESSED,
        returned_at=_at(TODAY),
    )  # sent back, the force has not acted since
    factories.ItemFactory.create_batch(3, inspection__force=other_force, due_on=TODAY)
    client.force_login(lead)
    page = main(client.get(reverse("recommendations:force-dashboard", args=[force.slug])))
    counts = dict(
        (label.strip(), int(number))
        for number, label in re.findall(r'<span class="app-count">(\d+)</span>([^<]+)</a>', page)
    )
    assert counts == {
        "overdue": 2,
        "due in the next 30 days": 2,
        "returned to you: more is needed": 1,
        "new: plan the response": 1,
        "submitted, awaiting the inspector": 2,
        "being progressed": 4,
    }
    assert "1 complete, 1 with no further action needed." in page


def test_review_queue_is_oldest_submission_first(client, force, other_force, inspector):
    inspection = factories.InspectionFactory(force=force)
    for reference, submitted in (("R-mid", 10), ("R-new", None), ("R-old", 40), ("R-recent", 2)):
        factories.ItemFactory(
            inspection=inspection,
            reference=reference,
            submitted_at=_at(TODAY - timedelta(days=submitted)) if submitted else None,
        )
    factories.ItemFactory(inspection=inspection, reference="R-busy", status="being-progressed")
    factories.ItemFactory(inspection__force=other_force, reference="B-hidden")
    client.force_login(inspector)
    page = main(client.get(reverse("recommendations:review-queue")))
    shown = re.findall(r">Recommendation ([^<\s]+)", page)
    assert shown == ["R-old", "R-mid", "R-recent"]  # submissions only, by default
    assert "Submissions to decide (3)" in page and "New items not yet submitted (1)" in page
    page = main(client.get(reverse("recommendations:review-queue") + "?show=new"))
    assert re.findall(r">Recommendation ([^<\s]+)", page) == ["R-new"]


def test_force_overview_lists_assigned_forces_with_counts_and_stage(client, force, other_force):
    third = factories.ForceFactory(name="Elsewhere Constabulary")
    inspector = factories.InspectorFactory(forces=[force, third])
    factories.MonitoringStageChangeFactory(force=force, stage="scan", started_on=date(2023, 1, 1))
    factories.MonitoringStageChangeFactory(force=force, stage="engage", started_on=date(2024, 2, 1))
    factories.MonitoringStageChangeFactory(force=third, stage="engage", started_on=date(2024, 7, 1))
    inspection = factories.InspectionFactory(force=force)
    factories.ItemFactory(inspection=inspection, due_on=date(2024, 5, 1))
    factories.ItemFactory(inspection=inspection, due_on=date(2024, 9, 1), status="being-progressed")
    factories.ItemFactory(inspection=inspection, status=Status.COMPLETE)
    factories.ItemFactory(inspection__force=other_force)
    client.force_login(inspector)
    page = main(client.get(reverse("recommendations:force-overview")))
    rows = [
        re.sub(r"<[^>]+>|\s+", " ", row).split()
        for row in re.findall(r'<tr class="govuk-table__row">(.*?)</tr>', page, re.S)[1:]
    ]
    assert rows == [
        [
            *["Cleveland", "Police", "Engage", "(enhanced", "monitoring)"],
            *["since", "1", "Feb", "2024", "2", "1", "1"],
        ],
        ["Elsewhere", "Constabulary", "Not", "recorded", "0", "0", "0"],  # stage starts later
    ]
    assert other_force.name not in page


def test_inspection_page_shows_grades_causes_and_areas(client, force, other_force, inspector):
    inspection = factories.InspectionFactory(force=force, title="PEEL 2023")
    factories.GradedJudgmentFactory(inspection=inspection, area="Investigating crime")
    factories.GradedJudgmentFactory(
        inspection=inspection, area="Protecting vulnerable people", grade="inadequate"
    )
    cause = factories.CauseOfConcernFactory(inspection=inspection, reference="CoC-1")
    factories.ItemFactory(inspection=inspection, cause_of_concern=cause, reference="R-under-coc")
    factories.ItemFactory(inspection=inspection, reference="R-direct")
    factories.AreaForImprovementFactory(inspection=inspection, reference="AFI-1")
    client.force_login(inspector)
    url = reverse("recommendations:inspection-detail", args=[inspection.pk])
    page = main(client.get(url))
    assert "Investigating crime" in page and "Good" in page
    assert "Protecting vulnerable people" in page and "Inadequate" in page
    coc = page.index("Cause of concern CoC-1")
    direct = page.index('<h2 class="govuk-heading-m">Recommendations</h2>')
    areas = page.index('<h2 class="govuk-heading-m">Areas for improvement</h2>')
    assert coc < page.index("R-under-coc") < direct < page.index("R-direct") < areas
    assert areas < page.index("AFI-1")
    assert cause.text in page
    assert reverse("recommendations:cause-of-concern-close", args=[cause.pk]) in page


def test_national_inspection_page_shows_each_force_its_own_items(client, force, other_force, lead):
    national = factories.InspectionFactory(force=None, title="National thematic")
    mine = factories.ItemFactory(inspection=national, force=force, reference="N-mine")
    factories.ItemFactory(inspection=national, force=other_force, reference="N-theirs")
    client.force_login(lead)
    url = reverse("recommendations:inspection-detail", args=[national.pk])
    assert url in client.get(item_url(mine)).content.decode()
    page = main(client.get(url))
    assert "N-mine" in page and "N-theirs" not in page


# --- Security -----------------------------------------------------------------------------


def test_pages_have_a_strict_csp_and_no_inline_script_or_style(client, force, lead, inspector):
    inspection = factories.InspectionFactory(force=force)
    cause = factories.CauseOfConcernFactory(inspection=inspection)
    item = factories.ItemFactory(inspection=inspection, cause_of_concern=cause)
    factories.GradedJudgmentFactory(inspection=inspection)
    pages = [(None, reverse("login"))]
    for user in (lead, inspector):
        pages += [
            (user, url)
            for url in (
                reverse("recommendations:item-list"),
                reverse("recommendations:force-dashboard", args=[force.slug]),
                item_url(item),
                reverse("recommendations:force-overview"),
                reverse("recommendations:inspection-detail", args=[inspection.pk]),
                reverse("password_change"),
                reverse("notifications:preferences"),
            )
        ]
    pages += [
        (inspector, reverse("recommendations:review-queue")),
        (inspector, reverse("recommendations:import")),
        (inspector, reverse("recommendations:monitoring-stage", args=[force.slug])),
        (inspector, reverse("recommendations:cause-of-concern-close", args=[cause.pk])),
    ]
    for user, url in pages:
        client.logout()
        if user:
            client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200, url
        policy = dict(
            directive.strip().split(" ", 1)
            for directive in response["Content-Security-Policy"].split(";")
        )
        assert "'unsafe-inline'" not in policy["script-src"], url
        assert "'unsafe-inline'" not in policy.get("style-src", ""), url
        assert policy["object-src"] == "'none'" and policy["frame-ancestors"] == "'none'"
        page = response.content.decode()
        assert not re.findall(r"<script(?![^>]*\ssrc=)[^>]*>", page), url
        assert not re.findall(r"\sstyle=", page), url
        assert not re.findall(r"\son[a-z]+=", page), url  # no inline event handlers
        assert response["X-Frame-Options"] == "DENY"
        assert response["X-Content-Type-Options"] == "nosniff"


def test_sessions_expire_after_inactivity(client, settings, lead):
    assert settings.SESSION_SAVE_EVERY_REQUEST is True
    idle = settings.SESSION_COOKIE_AGE
    assert idle == int(os.environ.get("SESSION_IDLE_SECONDS", 30 * 60))  # the idle timeout
    url = reverse("recommendations:item-list")
    start = timezone.make_aware(datetime(2024, 6, 1, 9, 0))
    with time_machine.travel(start, tick=False) as clock:
        client.force_login(lead)
        assert client.get(url).status_code == 200
        for minutes in (20, 45, 70):  # each request within the idle time keeps it alive
            clock.move_to(start + timedelta(minutes=minutes))
            response = client.get(url)
            assert response.status_code == 200
            assert settings.SESSION_COOKIE_NAME in response.cookies  # saved every request
        clock.move_to(start + timedelta(minutes=70, seconds=idle + 1))
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_repeated_failed_sign_ins_lock_that_username(client, lead, owner):
    url = reverse("login")
    for _ in range(5):
        response = client.post(url, {"username": "lead", "password": "wrong"})
        assert "_auth_user_id" not in client.session
    response = client.post(url, {"username": "lead", "password": "correct-horse-battery"})
    assert response.status_code in (403, 429)
    assert "Too many failed sign-in attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session
    response = client.post(url, {"username": "owner", "password": "correct-horse-battery"})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(owner.pk)

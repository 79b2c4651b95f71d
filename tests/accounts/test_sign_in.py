"""Sign-in refuses an impossible username cleanly (it used to be a 500 on PostgreSQL, where
django-axes stores the username of a failed attempt in 255 characters)."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.test import RequestFactory
from django.urls import reverse

from accounts.forms import axes_username
from tests import factories

pytestmark = pytest.mark.django_db

LONG_USERNAMES = ["u" * 151, "u" * 255, "u" * 256, "u" * 5000, "é" * 200, "报" * 300]


@pytest.mark.parametrize("username", LONG_USERNAMES, ids=lambda u: f"{len(u)}x{u[0]}")
def test_an_overlong_username_is_refused_before_axes_sees_it(client, lead, username):
    response = client.post(reverse("login"), {"username": username, "password": "wrong"})

    assert response.status_code == 200
    assert "Enter a correct username and password" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert not AccessAttempt.objects.exists()


@pytest.mark.parametrize("username", LONG_USERNAMES[1:4], ids=len)
def test_the_admin_sign_in_refuses_it_too(client, username):
    response = client.post(reverse("admin:login"), {"username": username, "password": "x"})

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert not AccessAttempt.objects.exists()


def test_the_longest_possible_username_signs_in(client, force):
    user = factories.ForceLeadFactory(force=force, username="a" * 150)

    response = client.post(
        reverse("login"), {"username": "a" * 150, "password": "correct-horse-battery"}
    )

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_a_wrong_password_is_still_recorded_for_the_lockout(client, lead):
    client.post(reverse("login"), {"username": "lead", "password": "wrong"})

    assert AccessAttempt.objects.get().username == "lead"


def test_axes_records_at_most_its_column_from_any_other_path():
    request = RequestFactory().post("/", {"username": "x" * 300})
    assert axes_username(request, None) == "x" * 255
    assert axes_username(request, {"username": "y" * 300}) == "y" * 255
    assert axes_username(request, {"username": None}) is None

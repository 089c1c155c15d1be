"""Who may log in and with what: admin login attempts are limited, API tokens are
per editor and revocable."""

import io

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.core.management import CommandError, call_command
from rest_framework.authtoken.models import Token

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery staple"
LOGIN = "/admin/login/?next=/admin/"


def admin_login(client, username, password, address="10.0.0.1"):
    return client.post(
        LOGIN,
        {"username": username, "password": password, "next": "/admin/"},
        REMOTE_ADDR=address,
    )


def test_admin_login_is_locked_after_repeated_failures(client):
    UserFactory(username="editor", is_staff=True)
    UserFactory(username="colleague", is_staff=True)
    assert settings.AXES_FAILURE_LIMIT == 5
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = admin_login(client, "editor", "wrong password")
        assert response.status_code == 200  # the form again, with its error
        assert "correct username and password" in response.content.decode()
    response = admin_login(client, "editor", "wrong password")
    assert response.status_code == 429
    assert AccessAttempt.objects.get(username="editor").failures_since_start == 5

    # Now even the right password is refused from that address …
    response = admin_login(client, "editor", PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    # … while another account, or the same account from elsewhere, is not locked out.
    assert admin_login(client, "colleague", PASSWORD).status_code == 302
    client.logout()
    assert admin_login(client, "editor", PASSWORD, address="10.0.0.2").status_code == 302
    client.logout()

    call_command("axes_reset_username", "editor", stdout=io.StringIO())
    response = admin_login(client, "editor", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == "/admin/"


def test_a_success_resets_the_failure_count(client):
    UserFactory(username="editor", is_staff=True)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        admin_login(client, "editor", "wrong password")
    assert admin_login(client, "editor", PASSWORD).status_code == 302
    client.logout()
    assert admin_login(client, "editor", "wrong password").status_code == 200


def test_forged_forwarded_for_does_not_escape_the_lockout(client):
    """Without a proxy configured, X-Forwarded-For is the client's to forge: ignored."""
    UserFactory(username="editor", is_staff=True)
    for number in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            LOGIN,
            {"username": "editor", "password": "wrong"},
            REMOTE_ADDR="10.0.0.9",
            HTTP_X_FORWARDED_FOR=f"192.0.2.{number}",
        )
    response = client.post(
        LOGIN,
        {"username": "editor", "password": PASSWORD},
        REMOTE_ADDR="10.0.0.9",
        HTTP_X_FORWARDED_FOR="192.0.2.200",
    )
    assert response.status_code == 429


def test_test_client_logins_still_work(client):
    """Logins without a request (Client.login, scripts) skip axes but still check passwords."""
    UserFactory(username="editor", is_staff=True)
    assert client.login(username="editor", password=PASSWORD)
    assert not client.login(username="editor", password="wrong")


def issue_token(username, *flags):
    out = io.StringIO()
    call_command("api_token", username, *flags, stdout=out, stderr=io.StringIO())
    return out.getvalue().strip()


def test_api_tokens_are_per_editor_and_revocable(client):
    UserFactory(username="aigerim", is_staff=True)
    UserFactory(username="daniyar", is_staff=True)
    first, second = issue_token("aigerim"), issue_token("daniyar")
    assert first != second and len(first) == 40
    assert issue_token("aigerim") == first  # asking again shows the same token
    assert Token.objects.get(key=first).user.username == "aigerim"

    def get(key):
        return client.get("/api/v1/regions/", HTTP_AUTHORIZATION=f"Token {key}")

    assert get(first).status_code == 200
    assert get("0" * 40).status_code == 401

    assert "revoked" in issue_token("aigerim", "--revoke")
    response = get(first)
    assert response.status_code == 401
    assert response.json() == {"detail": "Invalid token."}
    assert get(second).status_code == 200  # other editors keep theirs

    rotated = issue_token("daniyar", "--rotate")
    assert rotated != second
    assert get(second).status_code == 401
    assert get(rotated).status_code == 200


def test_api_token_command_explains_mistakes():
    with pytest.raises(CommandError, match="There is no user 'nobody'"):
        call_command("api_token", "nobody")
    UserFactory(username="former", is_active=False)
    with pytest.raises(CommandError, match="inactive"):
        call_command("api_token", "former")
    assert not Token.objects.exists()


def test_tokens_are_managed_in_the_admin(admin_client):
    response = admin_client.get("/admin/authtoken/tokenproxy/")
    assert response.status_code == 200

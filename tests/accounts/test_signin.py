"""Sign-up, e-mail verification, sign-in, lock-out and the per-IP limits, through allauth's real pages."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client

from newsloom.accounts.models import Profile
from tests.accounts.conftest import PASSWORD

pytestmark = pytest.mark.django_db

SIGNUP = "/en/accounts/signup/"
LOGIN = "/en/accounts/login/"


def signup(client: Client, name: str, **extra: str) -> Any:
    return client.post(
        SIGNUP,
        {
            "email": f"{name}@example.org",
            "username": name,
            "password1": PASSWORD,
            "password2": PASSWORD,
            "display_name": extra.pop("display_name", name.title()),
            **extra,
        },
        REMOTE_ADDR=extra.pop("ip", "203.0.113.7"),
    )


def test_sign_up_verify_the_address_and_sign_in(client: Client) -> None:
    page = client.get(SIGNUP).content.decode()
    assert 'name="display_name"' in page and 'class="hp"' in page and "style=" not in page
    assert "<script>" not in page  # no inline script on allauth's pages either
    response = signup(client, "maren", display_name="Maren Holt")
    assert response.status_code == 302
    user = get_user_model().objects.get(username="maren")
    assert Profile.objects.get(user=user).display_name == "Maren Holt"
    assert Profile.objects.get(user=user).signup_ip == "203.0.113.7"
    refused = client.post(LOGIN, {"login": "maren", "password": PASSWORD})  # mandatory verification first
    assert "_auth_user_id" not in client.session and refused.status_code == 302
    [message] = mail.outbox
    link = re.search(r"http://testserver(/en/accounts/confirm-email/[^\s]+)", message.body).group(1)  # type: ignore
    assert client.post(link).status_code == 302
    assert client.post(LOGIN, {"login": "maren", "password": PASSWORD}).status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)
    home = client.get("/en/").content.decode()
    assert "Maren Holt" in home and "Sign out" in home


def test_the_honeypot_creates_no_account(client: Client) -> None:
    response = signup(client, "robot", website="https://spam.example/")
    assert response.status_code == 302  # answered as if it had worked
    assert not get_user_model().objects.filter(username="robot").exists()


def test_three_new_accounts_per_address_per_day(client: Client) -> None:
    for name in ("one", "two", "three"):
        assert signup(Client(), name).status_code == 302
    refused = signup(Client(), "four")
    assert refused.status_code == 200
    assert "Too many accounts were created from your network today" in refused.content.decode()
    assert signup(Client(), "five", ip="198.51.100.9").status_code == 302  # another address
    assert set(get_user_model().objects.values_list("username", flat=True)) == {"one", "two", "three", "five"}


def test_repeated_failed_sign_ins_lock_the_account_with_a_clear_message(client: Client, alice: Any) -> None:
    for _ in range(5):
        wrong = client.post(LOGIN, {"login": "alice", "password": "wrong"})
        assert wrong.status_code == 200 and "not correct" in wrong.content.decode()
    locked = client.post(LOGIN, {"login": "alice", "password": PASSWORD})  # even the right password now
    assert locked.status_code == 200 and "_auth_user_id" not in client.session
    assert "Too many failed sign-in attempts for this account: it is locked for a while." in locked.content.decode()


def test_six_sign_in_attempts_a_minute_per_address(alice: Any) -> None:
    client = Client()
    for n in range(6):
        assert client.post(LOGIN, {"login": f"nobody{n}", "password": "x"}).status_code == 200
    refused = client.post(LOGIN, {"login": "alice", "password": PASSWORD})
    assert refused.status_code == 429 and "Too many attempts" in refused.content.decode()
    other = Client()  # another address is not held back
    assert other.post(LOGIN, {"login": "alice", "password": PASSWORD}, REMOTE_ADDR="198.51.100.1").status_code == 302


def test_client_addresses_come_only_from_a_trusted_proxy(client: Client, settings: Any, alice: Any) -> None:
    import dataclasses

    spoofed = {"HTTP_X_FORWARDED_FOR": "192.0.2.1", "HTTP_X_REAL_IP": "192.0.2.2"}
    for _ in range(6):  # forged headers do not give a client a fresh address
        client.post(LOGIN, {"login": "x", "password": "x"}, REMOTE_ADDR="127.0.0.1", **spoofed)
    assert (
        client.post(
            LOGIN, {"login": "x", "password": "x"}, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="192.0.2.99"
        ).status_code
        == 429
    )
    settings.CONFIG = dataclasses.replace(settings.CONFIG, trusted_ip_header="X-Real-IP")
    assert (
        client.post(
            LOGIN, {"login": "x", "password": "x"}, REMOTE_ADDR="127.0.0.1", HTTP_X_REAL_IP="192.0.2.50"
        ).status_code
        == 200
    )  # the proxy's header now counts


def test_csrf_is_required_on_the_account_forms(alice: Any) -> None:
    strict = Client(enforce_csrf_checks=True)
    refused = strict.post(LOGIN, {"login": "alice", "password": PASSWORD})
    assert refused.status_code == 403 and "This form could not be accepted" in refused.content.decode()
    assert "_auth_user_id" not in strict.session


def test_password_reset_sends_a_link(client: Client, alice: Any) -> None:
    assert client.post("/en/accounts/password/reset/", {"email": "alice@example.org"}).status_code == 302
    [message] = mail.outbox
    assert "/en/accounts/password/reset/key/" in message.body and message.to == ["alice@example.org"]

"""Personal tokens and app passwords: made, stored hashed, checked, revoked; on the account settings page."""

from __future__ import annotations

import hashlib
import re

import pytest
from django.test import Client

from newsloom.accounts import actions, queries
from newsloom.accounts.models import AccessKey

pytestmark = pytest.mark.django_db


def test_a_key_is_stored_as_its_digest_and_checks_out() -> None:
    user = actions.create_account("ada", password="a-long-pass-phrase")
    key, secret = actions.create_access_key(user, "app_password", "phone")
    row = AccessKey.objects.get(pk=key.pk)
    assert (
        secret not in (row.digest, row.prefix, row.fever_key)
        and row.digest == hashlib.sha256(secret.encode()).hexdigest()
    )
    assert row.fever_key == hashlib.md5(f"ada:{secret}".encode()).hexdigest()
    assert queries.check_login("ADA", secret) == (user, row)
    assert queries.check_login("ada", "a-long-pass-phrase") == (user, None)
    assert queries.check_login("ada", "wrong") is None
    assert queries.key_for_fever(row.fever_key) == row
    assert queries.key_for_secret(secret, kinds=["token"]) is None
    assert actions.revoke_access_key(user, key.pk) and queries.check_login("ada", secret) is None


def test_reader_logins_keep_only_the_latest() -> None:
    user = actions.create_account("ada", password="a-long-pass-phrase")
    for _ in range(actions.READER_LOGINS_KEPT + 3):
        actions.create_access_key(user, "reader_login")
    assert AccessKey.objects.filter(user=user, kind="reader_login").count() == actions.READER_LOGINS_KEPT


def test_the_settings_page_makes_shows_once_and_revokes() -> None:
    user = actions.create_account("ada", password="a-long-pass-phrase")
    client = Client()
    client.force_login(user)
    made = client.post("/en/settings/keys", {"kind": "token", "name": "my script"})
    assert made.status_code == 200
    secret = re.search(r'<code id="new-secret">([^<]+)</code>', made.content.decode())
    assert secret and queries.key_for_secret(secret.group(1)) is not None
    page = client.get("/en/settings").content.decode()
    assert "my script" in page and secret.group(1) not in page
    key = AccessKey.objects.get(user=user)
    assert client.post(f"/en/settings/keys/{key.pk}/revoke").status_code == 302
    assert not AccessKey.objects.filter(user=user).exists()

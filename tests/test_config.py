"""Settings from the environment: the public URL every absolute link to the site starts with."""

from __future__ import annotations

import pytest

from newsloom.config import Config, public_url


def test_the_public_url_is_an_origin_from_the_setting() -> None:
    assert public_url("https://News.Example.org/some/path?x=1", ["localhost"]) == "https://news.example.org"
    assert public_url(" http://127.0.0.1:9000/ ", []) == "http://127.0.0.1:9000"
    for bad in ("news.example.org", "ftp://news.example.org", "javascript:alert(1)", "https://"):
        with pytest.raises(ValueError, match="NEWSLOOM_PUBLIC_URL"):
            public_url(bad, ["localhost"])


def test_the_default_public_url_comes_from_the_first_allowed_host() -> None:
    assert public_url(None, ["news.example.org", "localhost"]) == "https://news.example.org"
    assert public_url("", [".example.com"]) == "https://example.com"
    assert public_url(None, ["*", "localhost"]) == "http://localhost:8000"
    assert public_url(None, ["[::1]"]) == "http://[::1]:8000"
    assert public_url(None, []) == "http://localhost:8000"
    assert Config.from_env({}).public_url == "http://127.0.0.1:8000"
    assert Config.from_env({"NEWSLOOM_ALLOWED_HOSTS": "a.example,b.example"}).public_url == "https://a.example"
    assert Config.from_env({"NEWSLOOM_PUBLIC_URL": "https://x.example"}).public_url == "https://x.example"

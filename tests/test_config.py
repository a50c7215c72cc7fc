"""Settings from the environment: the public URL every absolute link starts with, the fetch address allowances."""

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



def test_allow_networks_is_a_list_of_cidrs() -> None:
    cfg = Config.from_env({"NEWSLOOM_FETCH_ALLOW_NETWORKS": "127.0.0.1/8, 10.1.0.0/16,"})
    assert cfg.fetch_allow_networks == ("127.0.0.0/8", "10.1.0.0/16")
    assert Config.from_env({}).fetch_allow_networks == ()
    assert Config.from_env({}).fetch_allow_private is False


def test_a_bad_network_is_named() -> None:
    with pytest.raises(ValueError, match="NEWSLOOM_FETCH_ALLOW_NETWORKS: 'intranet' is not a network"):
        Config.from_env({"NEWSLOOM_FETCH_ALLOW_NETWORKS": "127.0.0.0/8,intranet"})

"""Settings read from the environment: the fetch address allowances."""

from __future__ import annotations

import pytest

from newsloom.config import Config


def test_allow_networks_is_a_list_of_cidrs() -> None:
    cfg = Config.from_env({"NEWSLOOM_FETCH_ALLOW_NETWORKS": "127.0.0.1/8, 10.1.0.0/16,"})
    assert cfg.fetch_allow_networks == ("127.0.0.0/8", "10.1.0.0/16")
    assert Config.from_env({}).fetch_allow_networks == ()
    assert Config.from_env({}).fetch_allow_private is False


def test_a_bad_network_is_named() -> None:
    with pytest.raises(ValueError, match="NEWSLOOM_FETCH_ALLOW_NETWORKS: 'intranet' is not a network"):
        Config.from_env({"NEWSLOOM_FETCH_ALLOW_NETWORKS": "127.0.0.0/8,intranet"})

"""netguard: URL shape checks and refusal of non-public addresses, with an injected resolver for DNS cases."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

import pytest

from newsloom.core.ingest.netguard import check_peer, check_url, parse_ip, parse_networks
from newsloom.errors import BlockedAddress, ConnectionFailed, InvalidURL

BLOCKED = [
    "http://127.0.0.1/feed",
    "http://127.8.9.10:8080/",
    "http://localhost/",
    "http://app.localhost/",
    "http://[::1]/",
    "http://10.0.0.1/",
    "http://172.16.5.4/",
    "http://192.168.1.1/",
    "http://169.254.169.254/latest/meta-data/",
    "http://100.64.0.1/",  # CGNAT
    "http://0.0.0.0/",
    "http://[::]/",
    "http://224.0.0.1/",  # multicast
    "http://240.0.0.1/",  # reserved
    "http://255.255.255.255/",
    "http://[::ffff:127.0.0.1]/",  # IPv4-mapped
    "http://[::ffff:10.0.0.1]/",
    "http://[64:ff9b::a00:1]/",  # NAT64 of 10.0.0.1
    "http://[2002:7f00:1::]/",  # 6to4 of 127.0.0.1
    "http://[fe80::1]/",
    "http://[fc00::1]/",
    "http://2130706433/",  # decimal 127.0.0.1
    "http://0177.0.0.1/",  # octal
    "http://0x7f.0.0.1/",  # hex
    "http://127.1/",  # short form
    "http://017700000001/",
]


def fake_dns(table: dict[str, Sequence[str]]) -> Callable[[str, int], Sequence[str]]:
    def resolve(host: str, port: int) -> Sequence[str]:
        if host not in table:
            raise OSError(f"[Errno -2] Name or service not known: {host}")
        return table[host]

    return resolve


@pytest.mark.parametrize("url", BLOCKED)
def test_private_and_odd_numeric_hosts_are_blocked(url: str) -> None:
    with pytest.raises(BlockedAddress) as info:
        check_url(url, allow_private=False, resolver=fake_dns({}))
    assert url in str(info.value)
    assert "refused" in str(info.value)
    assert info.value.url == url


# What NEWSLOOM_FETCH_ALLOW_PRIVATE opens (loopback and the private ranges) and what stays refused regardless.
OPENED_BY_ALLOW_PRIVATE = [
    "http://127.0.0.1/feed", "http://127.8.9.10:8080/", "http://localhost/", "http://app.localhost/", "http://[::1]/",
    "http://10.0.0.1/", "http://172.16.5.4/", "http://192.168.1.1/", "http://[::ffff:127.0.0.1]/",
    "http://[::ffff:10.0.0.1]/", "http://[64:ff9b::a00:1]/", "http://[2002:7f00:1::]/", "http://[fc00::1]/",
    "http://2130706433/", "http://0177.0.0.1/", "http://0x7f.0.0.1/", "http://127.1/", "http://017700000001/",
]  # fmt: skip
ALWAYS_REFUSED = {
    "http://169.254.169.254/latest/meta-data/": "link-local address, where cloud metadata services answer",
    "http://169.254.170.2/v2/credentials": "link-local",
    "http://[fd00:ec2::254]/latest/meta-data/": "the cloud metadata address",
    "http://[::ffff:169.254.169.254]/": "wrapping 169.254.169.254, a link-local address",
    "http://[fe80::1]/": "a link-local address",
    "http://0.0.0.0/": "the unspecified address",
    "http://[::]/": "the unspecified address",
    "http://224.0.0.1/": "a multicast address",
    "http://255.255.255.255/": "the broadcast address",
}
STILL_REFUSED_BY_ALLOW_PRIVATE = ["http://100.64.0.1/", "http://240.0.0.1/", "http://192.0.2.1/"]


def test_blocked_lists_cover_every_case() -> None:
    assert set(BLOCKED) <= set(OPENED_BY_ALLOW_PRIVATE) | set(ALWAYS_REFUSED) | set(STILL_REFUSED_BY_ALLOW_PRIVATE)


@pytest.mark.parametrize("url", OPENED_BY_ALLOW_PRIVATE)
def test_allow_private_opens_loopback_and_private_ranges(url: str) -> None:
    check_url(url, allow_private=True, resolver=fake_dns({}))


@pytest.mark.parametrize("url", STILL_REFUSED_BY_ALLOW_PRIVATE)
def test_allow_private_opens_nothing_else(url: str) -> None:
    with pytest.raises(BlockedAddress):
        check_url(url, allow_private=True)


@pytest.mark.parametrize(("url", "reason"), sorted(ALWAYS_REFUSED.items()))
def test_link_local_and_metadata_are_refused_whatever_is_allowed(url: str, reason: str) -> None:
    everything = parse_networks(["0.0.0.0/0", "::/0", "169.254.0.0/16", "fd00:ec2::254/128"])
    for allow_private, networks in [(False, ()), (True, ()), (True, everything), (False, everything)]:
        with pytest.raises(BlockedAddress, match=re.escape(reason)):
            check_url(url, allow_private=allow_private, networks=networks)


def test_a_name_resolving_to_the_metadata_address_is_refused_with_allow_private() -> None:
    dns = fake_dns({"metadata.google.internal": ["169.254.169.254"], "intranet.example": ["10.1.2.3"]})
    with pytest.raises(BlockedAddress, match=r"resolves to 169\.254\.169\.254, which is a link-local address"):
        check_url("http://metadata.google.internal/computeMetadata/v1/", allow_private=True, resolver=dns)
    check_url("http://intranet.example/feed", allow_private=True, resolver=dns)


def test_allow_networks_opens_only_what_it_names() -> None:
    loopback = parse_networks(["127.0.0.0/8"])
    check_url("http://127.0.0.1:8000/feed", allow_private=False, networks=loopback)
    check_url("http://localhost:8000/feed", allow_private=False, networks=parse_networks(["127.0.0.0/8", "::1"]))
    check_peer("127.0.0.5", allow_private=False, networks=loopback)
    with pytest.raises(BlockedAddress, match="a private address"):
        check_url("http://10.0.0.1/", allow_private=False, networks=loopback)
    with pytest.raises(BlockedAddress, match="a loopback address"):
        check_url("http://[::1]/", allow_private=False, networks=loopback)
    with pytest.raises(BlockedAddress, match="loopback host name"):  # ::1 is not opened, and localhost may be it
        check_url("http://localhost/", allow_private=False, networks=loopback)
    check_url("http://100.64.0.1/", allow_private=False, networks=parse_networks(["100.64.0.0/10"]))


def test_parse_networks_names_a_bad_value() -> None:
    assert [str(n) for n in parse_networks([" 127.0.0.1/8", "10.0.0.1"])] == ["127.0.0.0/8", "10.0.0.1/32"]
    with pytest.raises(ValueError, match="'loopback' is not a network"):
        parse_networks(["loopback"])


def test_numeric_forms_name_the_real_address() -> None:
    with pytest.raises(BlockedAddress, match=r"2130706433 \(127\.0\.0\.1\) is a loopback address"):
        check_url("http://2130706433/", allow_private=False)


@pytest.mark.parametrize(
    "url",
    ["ftp://example.com/", "file:///etc/passwd", "javascript:alert(1)", "http:///path", "http://", "",
     "http://user:pass@example.com/", "http://example.com@127.0.0.1/", "http://ex ample.com/",
     "http://example.com\\@127.0.0.1/", "http://example.com:99999/", "//example.com/feed"],
)
def test_malformed_urls_are_invalid(url: str) -> None:
    with pytest.raises(InvalidURL):
        check_url(url, allow_private=True)


def test_public_host_passes_and_every_resolved_address_is_checked() -> None:
    dns = fake_dns({"news.example": ["93.184.216.34", "2606:2800:220:1::1"],
                    "sneaky.example": ["93.184.216.34", "10.0.0.7"],
                    "rebind.example": ["169.254.169.254"]})
    check_url("https://news.example/feed.xml", allow_private=False, resolver=dns)
    with pytest.raises(BlockedAddress, match=r"sneaky\.example resolves to 10\.0\.0\.7, which is a private address"):
        check_url("http://sneaky.example/", allow_private=False, resolver=dns)
    with pytest.raises(BlockedAddress, match="link-local"):
        check_url("http://rebind.example/", allow_private=False, resolver=dns)


def test_unresolvable_host_is_a_connection_failure() -> None:
    with pytest.raises(ConnectionFailed, match="does not resolve"):
        check_url("http://nowhere.invalid/", allow_private=False, resolver=fake_dns({}))


def test_public_ipv4_mapped_address_is_allowed() -> None:
    check_url("http://[::ffff:93.184.216.34]/", allow_private=False)
    check_url("http://93.184.216.34/", allow_private=False)


def test_check_peer() -> None:
    check_peer("93.184.216.34", allow_private=False)
    check_peer("127.0.0.1", allow_private=True)
    with pytest.raises(BlockedAddress, match=r"http://a.example/ is refused: the connection reached 127\.0\.0\.1"):
        check_peer("127.0.0.1", allow_private=False, url="http://a.example/")
    with pytest.raises(BlockedAddress):
        check_peer("::ffff:192.168.0.1", allow_private=False)
    with pytest.raises(BlockedAddress):
        check_peer("fe80::1%eth0", allow_private=False)


def test_parse_ip_forms() -> None:
    assert str(parse_ip("2130706433")) == "127.0.0.1"
    assert str(parse_ip("0177.0.0.1")) == "127.0.0.1"
    assert str(parse_ip("[::1]")) == "::1"
    assert parse_ip("example.com") is None
    assert parse_ip("1.example") is None

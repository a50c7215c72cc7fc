"""Canonical article URLs and the ids derived from them.

``canonicalize`` turns the many spellings of one article URL (tracking parameters, upper-case hosts, default ports,
fragments, ``/a/./b/../c`` paths, ``%7e`` vs ``~``) into one string; ``article_id`` hashes that string into the
32-hex id used everywhere; ``same_site`` decides whether a page's ``rel=canonical`` may be trusted.

Query parameters keep their original order (reordering can change meaning on some servers); only the parameters in
``TRACKING_PARAMS`` or starting with one of ``TRACKING_PREFIXES`` (compared case-insensitively) are removed.
"""

from __future__ import annotations

import hashlib
import ipaddress
import re
from functools import lru_cache
from urllib.parse import urljoin, urlsplit, urlunsplit

import idna
from tld import get_fld

# Parameters that only say how a reader arrived, never which page it is. Meaningful ones (id, p, page, article, ...)
# are kept simply by not being listed here.
TRACKING_PARAMS: frozenset[str] = frozenset(
    {
        # ad / click identifiers
        "fbclid", "gclid", "gclsrc", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "twclid", "igshid", "igsh",
        "ttclid", "li_fat_id", "epik", "rb_clickid", "s_kwcid", "ef_id",
        # mail campaigns
        "mc_cid", "mc_eid", "mkt_tok", "_hsenc", "_hsmi", "hsctatracking", "vero_id", "vero_conv", "oly_enc_id",
        "oly_anon_id", "sc_cid", "et_rid", "ml_subscriber", "ml_subscriber_hash",
        # analytics
        "_ga", "_gl", "_ke", "wt.mc_id", "wt_mc", "xtor", "xtref", "ito", "spm", "scm",
        # publishers' own campaign tags
        "ref_src", "ref_url", "cmpid", "cmp", "ocid", "icid", "ncid", "cid_source", "smid", "smtyp", "sr_share",
        "s_cid", "soc_src", "soc_trk", "mbid", "cvid", "guccounter", "guce_referrer", "guce_referrer_sig",
        "__twitter_impression", "share", "shared", "recruiter", "taid", "fsrc", "intcmp", "int_source",
        "cmpgn", "campaign_id",
    }
)  # fmt: skip
TRACKING_PREFIXES: tuple[str, ...] = ("utm_", "pk_", "mtm_", "matomo_", "at_", "ns_", "hsa_", "oft_", "stm_")

_DEFAULT_PORTS = {"http": 80, "https": 443}
_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
_SUB_DELIMS = "!$&'()*+,;="
_PATH_SAFE = frozenset(_UNRESERVED | set(_SUB_DELIMS) | set(":@/"))
_QUERY_SAFE = frozenset(_PATH_SAFE | set("?"))
_HEX = frozenset("0123456789abcdefABCDEF")
_ASCII_HOST = re.compile(r"^[a-z0-9._-]+$")
_IPV6_HOST = re.compile(r"^\[[0-9a-f:.]+\]$")


def _normalize_component(text: str, safe: frozenset[str]) -> str:
    """Normalise percent-encoding: decode unreserved characters, upper-case the rest, encode what must be."""
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        char = text[i]
        if char == "%" and i + 2 < n and text[i + 1] in _HEX and text[i + 2] in _HEX:
            code = text[i + 1 : i + 3]
            decoded = chr(int(code, 16))
            out.append(decoded if decoded in _UNRESERVED else "%" + code.upper())
            i += 3
            continue
        if char in safe:
            out.append(char)
        else:
            out.extend(f"%{byte:02X}" for byte in char.encode("utf-8", "surrogatepass"))
        i += 1
    return "".join(out)


def _remove_dot_segments(path: str) -> str:
    """RFC 3986 section 5.2.4, on a path that starts with "/"."""
    segments = path.split("/")[1:]
    output: list[str] = []
    for index, segment in enumerate(segments):
        last = index == len(segments) - 1
        if segment == ".":
            if last:
                output.append("")
        elif segment == "..":
            if output:
                output.pop()
            if last:
                output.append("")
        else:
            output.append(segment)
    return "/" + "/".join(output)


def _is_tracking(key: str) -> bool:
    lowered = key.lower()
    return lowered in TRACKING_PARAMS or lowered.startswith(TRACKING_PREFIXES)


def _normalize_query(query: str) -> str:
    kept: list[str] = []
    for pair in query.split("&"):
        if not pair:
            continue
        key = pair.split("=", 1)[0]
        if _is_tracking(key.replace("+", " ").strip()) or _is_tracking(_percent_decode_ascii(key)):
            continue
        kept.append(_normalize_component(pair, _QUERY_SAFE))
    return "&".join(kept)


def _percent_decode_ascii(text: str) -> str:
    return re.sub(r"%([0-9a-fA-F]{2})", lambda m: chr(int(m.group(1), 16)), text)


@lru_cache(maxsize=4096)
def _normalize_host(host: str) -> str:
    host = host.strip().rstrip(".").lower()
    if not host:
        raise ValueError("URL has no host")
    if host.startswith("["):
        if not _IPV6_HOST.match(host):
            raise ValueError(f"invalid IPv6 host: {host!r}")
        return host
    if not host.isascii():
        try:
            host = idna.encode(host, uts46=True).decode("ascii")
        except idna.IDNAError:
            try:
                host = host.encode("idna").decode("ascii")
            except UnicodeError as error:
                raise ValueError(f"invalid host name: {host!r}") from error
    if not _ASCII_HOST.match(host) or ".." in host or host.startswith("."):
        raise ValueError(f"invalid host name: {host!r}")
    return host


# What the WHATWG URL parser trims from both ends: C0 controls and space. Not str.strip()'s Unicode whitespace, which
# would eat a trailing U+0085 or U+00A0 that belongs to the query (and then differ from the same URL with a
# tracking parameter appended).
_C0_AND_SPACE = "".join(chr(code) for code in range(0x21))


def canonicalize(url: str, *, base: str | None = None) -> str:
    """The canonical spelling of an http(s) URL; raises ValueError for anything else.

    Absolute (resolved against ``base``), scheme and host lower-cased, IDNA host, default port, user info and fragment
    dropped, tracking parameters stripped, empty query removed, path percent-encoding and dot segments normalised.
    """
    url = url.strip(_C0_AND_SPACE)
    if base:
        url = urljoin(base.strip(_C0_AND_SPACE), url)
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as error:
        raise ValueError(f"unparsable URL {url!r}: {error}") from error
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS:
        raise ValueError(f"not an http(s) URL: {url!r}")
    hostname = parts.netloc.rpartition("@")[2]
    if hostname.startswith("["):
        hostname = hostname[: hostname.find("]") + 1]
    else:
        hostname = hostname.rsplit(":", 1)[0] if ":" in hostname else hostname
    host = _normalize_host(hostname)
    netloc = host if port is None or port == _DEFAULT_PORTS[scheme] else f"{host}:{port}"
    path = _normalize_component(parts.path, _PATH_SAFE) or "/"
    if not path.startswith("/"):
        path = "/" + path
    path = _remove_dot_segments(path)
    query = _normalize_query(parts.query)
    return urlunsplit((scheme, netloc, path, query, ""))


def article_id(canonical_url: str) -> str:
    """32 lower-case hex characters: the first 128 bits of SHA-256 of ``canonicalize(canonical_url)``."""
    return hashlib.sha256(canonicalize(canonical_url).encode("utf-8")).hexdigest()[:32]


@lru_cache(maxsize=4096)
def registrable_domain(host: str) -> str:
    """``news.bbc.co.uk`` -> ``bbc.co.uk`` (public suffix list); IP addresses and unknown suffixes stay whole."""
    host = host.lower().rstrip(".")
    if not host or host.startswith("[") or re.fullmatch(r"[0-9.]+", host):
        return host
    fld = get_fld(host, fail_silently=True, fix_protocol=True)
    return str(fld) if fld else host.removeprefix("www.")


def same_site(a: str, b: str) -> bool:
    """True when both URLs are http(s) on the same registrable domain (``www.x.com`` and ``amp.x.com``)."""
    try:
        host_a = urlsplit(canonicalize(a)).hostname or ""
        host_b = urlsplit(canonicalize(b)).hostname or ""
    except ValueError:
        return False
    return registrable_domain(host_a) == registrable_domain(host_b)


# The longest URL newsloom stores (the URL columns are this long); longer ones from outside are refused, not cut.
MAX_URL_LENGTH = 2000
_UNSAFE_IN_URL = re.compile(r"[\x00-\x20\x7f\"<>\\^`{|}]")


def _strict_host(host: str) -> str:
    """The ASCII form of a host name under IDNA 2008 with UTS 46; ValueError for anything a browser would not load."""
    host = host.rstrip(".").lower()
    if not host:
        raise ValueError("no host")
    if host.startswith("["):  # an IPv6 literal
        try:
            if "%" in host:  # a zone id names an interface of the reader's machine: no link has one
                raise ValueError("zone id")
            return f"[{ipaddress.IPv6Address(host.strip('[]'))}]"
        except ValueError as error:
            raise ValueError(f"invalid IPv6 host {host!r}") from error
    try:
        ascii_host = idna.encode(host, uts46=True).decode("ascii") if not host.isascii() else host
        if "xn--" in ascii_host:
            idna.decode(ascii_host)  # an xn-- label that does not decode is no host at all
    except (idna.IDNAError, UnicodeError) as error:
        raise ValueError(f"invalid international domain name {host!r}") from error
    if not _ASCII_HOST.match(ascii_host) or ".." in ascii_host or ascii_host.startswith((".", "-")):
        raise ValueError(f"invalid host name {host!r}")
    return ascii_host


def checked_http_url(value: str, *, base: str | None = None, max_length: int = MAX_URL_LENGTH) -> str:
    """The one gate for a URL from outside: an absolute ``http``/``https`` URL with a valid host, or ValueError.

    Resolved against ``base`` when relative; the host comes back in its ASCII (IDNA) form; whitespace, quotes and
    other characters no URL holds are percent-encoded; longer than ``max_length`` after that is refused (a cut URL
    points somewhere else). Unlike ``canonicalize`` it keeps the URL as published: only user info is dropped.
    """
    url = value.strip(_C0_AND_SPACE)
    if base:
        url = urljoin(base.strip(_C0_AND_SPACE), url)
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as error:
        raise ValueError(f"unparsable URL: {error}") from error
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS:
        raise ValueError(f"not an http(s) URL (scheme {scheme or 'none'!r})")
    bracketed = parts.netloc.rpartition("@")[2].startswith("[")  # urlsplit's hostname drops an IPv6 literal's brackets
    host = _strict_host(f"[{parts.hostname}]" if bracketed else parts.hostname or "")
    netloc = host if port is None else f"{host}:{port}"
    encode = lambda text: _UNSAFE_IN_URL.sub(lambda m: f"%{ord(m.group()):02X}", text)  # noqa: E731
    checked = urlunsplit((scheme, netloc, encode(parts.path) or "/", encode(parts.query), encode(parts.fragment)))
    if len(checked) > max_length:
        raise ValueError(f"URL longer than {max_length} characters ({len(checked)})")
    return checked


def safe_http_url(value: object, *, base: str | None = None, max_length: int = MAX_URL_LENGTH) -> str | None:
    """``checked_http_url`` for values that may be missing or bad: the checked URL, or None (never raises)."""
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        return checked_http_url(value, base=base, max_length=max_length)
    except ValueError:
        return None

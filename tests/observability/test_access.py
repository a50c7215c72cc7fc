"""Who may read /metrics: the allowed networks (every address a request names) or the metrics account."""

from __future__ import annotations

import base64
import dataclasses

import pytest
from django.test import Client, RequestFactory

from newsloom.config import Config
from newsloom.observability import access

pytestmark = pytest.mark.django_db

BASE = Config.from_env({"NEWSLOOM_DATA_DIR": "/tmp/unused"})


def request(remote: str = "127.0.0.1", **headers: str) -> object:
    return RequestFactory().get("/metrics", REMOTE_ADDR=remote, **headers)


def basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


def test_loopback_is_allowed_by_default_and_others_are_refused() -> None:
    assert BASE.metrics_allow_networks == ("127.0.0.0/8", "::1/128")
    assert access.decide(request("127.0.0.1"), BASE) == 200
    assert access.decide(request("127.8.9.10"), BASE) == 200
    assert access.decide(request("::1"), BASE) == 200
    assert access.decide(request("::ffff:127.0.0.1"), BASE) == 200  # a dual-stack socket's view of loopback
    assert access.decide(request("203.0.113.7"), BASE) == 403
    assert access.decide(request("10.1.2.3"), BASE) == 403  # private is not loopback
    assert access.decide(request(""), BASE) == 403


def test_every_address_a_request_names_must_be_allowed() -> None:
    # through a local proxy that adds the client's address: the client's is what counts
    assert access.decide(request(HTTP_X_FORWARDED_FOR="198.51.100.4"), BASE) == 403
    assert access.decide(request(HTTP_X_REAL_IP="198.51.100.4"), BASE) == 403
    assert access.decide(request(HTTP_FORWARDED='for="[2001:db8::1]:4711";proto=https'), BASE) == 403
    # a public client claiming to be local, through the proxy (which appends its real address) or directly
    assert access.decide(request(HTTP_X_FORWARDED_FOR="127.0.0.1, 198.51.100.4"), BASE) == 403
    assert access.decide(request("198.51.100.4", HTTP_X_FORWARDED_FOR="127.0.0.1"), BASE) == 403
    assert access.decide(request(HTTP_X_FORWARDED_FOR="not an address"), BASE) == 403
    # a local scraper through the local proxy
    assert access.decide(request(HTTP_X_FORWARDED_FOR="127.0.0.1", HTTP_X_REAL_IP="127.0.0.1"), BASE) == 200


def test_configured_networks_and_the_empty_list() -> None:
    office = Config.from_env({"NEWSLOOM_METRICS_ALLOW_NETWORKS": "10.0.0.0/8, 2001:db8::/32"})
    assert office.metrics_allow_networks == ("10.0.0.0/8", "2001:db8::/32")
    assert access.decide(request("10.20.30.40"), office) == 200
    assert access.decide(request("2001:db8::5"), office) == 200
    assert access.decide(request("127.0.0.1"), office) == 403  # the list replaces the default
    nobody = Config.from_env({"NEWSLOOM_METRICS_ALLOW_NETWORKS": ""})
    assert nobody.metrics_allow_networks == () and access.decide(request("127.0.0.1"), nobody) == 403
    with pytest.raises(ValueError):
        Config.from_env({"NEWSLOOM_METRICS_ALLOW_NETWORKS": "10.0.0.0/33"})


def test_basic_auth_opens_it_from_anywhere_and_says_401_otherwise() -> None:
    config = dataclasses.replace(BASE, metrics_user="prom", metrics_password="s3cret:with colon")
    outside = "203.0.113.7"
    assert access.decide(request(outside, HTTP_AUTHORIZATION=basic("prom", "s3cret:with colon")), config) == 200
    assert access.decide(request(outside, HTTP_AUTHORIZATION=basic("prom", "wrong")), config) == 401
    assert access.decide(request(outside, HTTP_AUTHORIZATION=basic("other", "s3cret:with colon")), config) == 401
    assert access.decide(request(outside, HTTP_AUTHORIZATION="Basic !!!"), config) == 401
    assert access.decide(request(outside, HTTP_AUTHORIZATION="Bearer abc"), config) == 401
    assert access.decide(request(outside), config) == 401
    assert access.decide(request("127.0.0.1"), config) == 200  # the networks still apply
    half = dataclasses.replace(BASE, metrics_user="prom")  # no password: no account
    assert access.decide(request(outside, HTTP_AUTHORIZATION=basic("prom", "")), half) == 403


def test_the_endpoint_answers_in_prometheus_text_format_or_refuses(settings) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    ok = client.get("/metrics")
    assert ok.status_code == 200 and ok["Content-Type"].startswith("text/plain; version=")
    body = ok.content.decode()
    assert "# TYPE newsloom_tasks_total counter" in body and "newsloom_queue_up 1.0" in body
    assert "newsloom_queue_depth" in body and "# TYPE newsloom_pipeline_seconds histogram" in body
    assert "no-cache" in ok["Cache-Control"]
    refused = client.get("/metrics", REMOTE_ADDR="203.0.113.7")
    assert refused.status_code == 403 and b"newsloom_" not in refused.content
    settings.CONFIG = dataclasses.replace(settings.CONFIG, metrics_user="prom", metrics_password="pw")
    challenged = client.get("/metrics", REMOTE_ADDR="203.0.113.7")
    assert challenged.status_code == 401 and challenged["WWW-Authenticate"].startswith("Basic ")
    logged_in = client.get("/metrics", REMOTE_ADDR="203.0.113.7", HTTP_AUTHORIZATION=basic("prom", "pw"))
    assert logged_in.status_code == 200 and b"newsloom_tasks_total" in logged_in.content
    assert client.post("/metrics").status_code == 405

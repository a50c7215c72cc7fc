"""schemathesis against the API's own OpenAPI document, on the ingested demo: property-based requests to every
operation (valid ones and, for the coverage phase, deliberately invalid ones), in-process through the real WSGI
application and its whole middleware stack. Every response must be no 5xx, a documented status with a documented
content type, and valid against its schema; a request the schema allows must not be refused.

The path parameters are the demo's real story and article ids half of the time (a generated 32-hex id is almost
never one), so the detail, related and comment operations are exercised on real data and not only as 404s. The
requests are counted (``REQUESTS``); conftest prints the tally, and the last test holds it to at least 1,000.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

from newsloom.accounts import actions
from newsloom.articles.models import Article
from newsloom.stories.models import Story

pytestmark = pytest.mark.django_db  # database access set up before the autouse fixtures (the shared cache is a table)

MAX_EXAMPLES = 150  # per operation and generation phase
REQUESTS: Counter[tuple[str, int]] = Counter()
REAL_IDS: dict[str, list[str]] = {}
TOKEN: dict[str, str] = {}  # a reader's personal token, for the operations under /me/
CONFIG = schemathesis.Config.from_dict(
    {
        "checks": {
            # a cursor the schema cannot tell apart from one we issued (any URL-safe text) is refused as not ours
            "positive_data_acceptance": {"expected-statuses": ["2xx", "304", "404", "422"]},
        },
    }
)


@pytest.fixture
def same_connection() -> Iterator[None]:
    """As Django's test client does: a request must not close the test's connection (and its transaction)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def demo_api(demo: None, no_rate_limit: None, same_connection: None) -> None:
    """The demo in the test's database, its ids at hand for ``map_path_parameters``, no rate limit."""
    REAL_IDS["story_id"] = list(Story.objects.filter(article_count__gt=0).values_list("pk", flat=True)[:50])
    REAL_IDS["article_id"] = list(Article.objects.exclude(status="pending").values_list("pk", flat=True)[:50])
    user = actions.create_account("schema-reader", password="a-long-pass-phrase")
    TOKEN["secret"] = actions.create_access_key(user, "token")[1]


@schemathesis.hook
def map_path_parameters(context: Any, path_parameters: dict[str, Any]) -> dict[str, Any]:
    """Half of the well-formed ids become real ones (chosen by the generated id, so examples stay reproducible)."""
    if not isinstance(path_parameters, dict):
        return path_parameters
    out = dict(path_parameters)
    for name, value in path_parameters.items():
        real = REAL_IDS.get(name)
        if real and isinstance(value, str) and len(value) == 32 and value[0] in "01234567":
            out[name] = real[int(value[:8], 16) % len(real)] if all(c in "0123456789abcdef" for c in value) else value
    return out


# The document needs no database: it is read once, at collection, from the running application.
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application(), config=CONFIG)


@pytest.mark.usefixtures("demo_api")
@schema.parametrize()
# every health check off: on a machine shared with other work they time the generator, which is no test of the API
@settings(max_examples=MAX_EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck))
def test_every_operation_conforms_to_its_schema(case: Any) -> None:
    # werkzeug's test client, which schemathesis drives the WSGI app with, does not undo gzip (test_v1 covers it)
    headers = {"Accept-Encoding": "identity"}
    if case.operation.path.startswith("/me/") or "/me/" in case.operation.path:  # signed in, with a real token
        headers["Authorization"] = f"Bearer {TOKEN['secret']}"
    response = case.call_and_validate(headers=headers)
    REQUESTS[(case.operation.label, response.status_code)] += 1
    assert response.status_code < 500


def test_at_least_a_thousand_requests_were_made() -> None:
    total = sum(REQUESTS.values())
    if not total:
        pytest.skip("the schemathesis test did not run in this session")
    assert total >= 1000, REQUESTS
    assert {status for (_, status) in REQUESTS} >= {200, 404, 422}

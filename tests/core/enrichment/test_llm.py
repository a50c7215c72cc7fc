"""The optional LLM path against a small local server that speaks the OpenAI chat-completions protocol."""

from __future__ import annotations

import json
import time

import pytest

from newsloom.core.enrichment.llm import (
    LLMClient,
    LLMConfig,
    LLMUnavailable,
    llm_answer,
    llm_summary,
    parse_cited,
    supported,
)
from newsloom.core.enrichment.summarize import SourceDoc
from tests.support.httpserver import LocalServer, Request, Response

DOCS = [
    SourceDoc("a1", "Tessel floods Harrowdale", "More than 3,000 people were evacuated from Harrowdale after the "
              "River Tessel burst its banks. Four rest centres opened in schools.", "Meridian Press"),
    SourceDoc("a2", "Insurers brace for claims", "Insurers expect claims of about 25 million pounds from shops in "
              "the town centre, a trade group said.", "Crossfield Examiner"),
]


def completion(text: str) -> Response:
    body = {"id": "x", "object": "chat.completion", "choices": [{"index": 0, "message": {"role": "assistant",
            "content": text}, "finish_reason": "stop"}]}
    return Response(200, json.dumps(body), {"Content-Type": "application/json"})


def client(server: LocalServer, timeout: float = 5) -> LLMClient:
    return LLMClient(LLMConfig(server.url("/v1"), "tiny-model", api_key="secret", timeout=timeout))


def test_a_cited_supported_summary_is_accepted(server: LocalServer) -> None:
    seen: list[Request] = []

    def route(request: Request) -> Response:
        seen.append(request)
        return completion("More than 3,000 people were evacuated from Harrowdale when the Tessel burst its banks [1]. "
                          "Insurers expect claims of about 25 million pounds [2][1].")

    server.route("/v1/chat/completions", route)
    summary = llm_summary(DOCS, client(server))
    assert [(s.article_id, s.supporting) for s in summary] == [("a1", ()), ("a2", ("a1",))]
    assert summary[0].text.endswith("burst its banks.")
    assert seen[0].headers["authorization"] == "Bearer secret"


@pytest.mark.parametrize(
    "answer",
    [
        "More than 5,000 people were evacuated from Harrowdale [1].",  # a number the passage does not state
        "More than 3,000 people were evacuated from Harrowdale.",  # no citation
        "The mayor blamed climate change and resigned in disgrace [1].",  # words the passage does not support
        "Insurers expect claims of about 25 million pounds [7].",  # cites a passage that does not exist
    ],
)
def test_unsupported_answers_are_rejected(server: LocalServer, answer: str) -> None:
    server.route("/v1/chat/completions", lambda _r: completion(answer))
    with pytest.raises(LLMUnavailable, match="citations do not support"):
        llm_summary(DOCS, client(server))


@pytest.mark.parametrize(
    "response",
    [Response(500, b"boom"), Response(200, b"not json", {"Content-Type": "application/json"}),
     Response(200, json.dumps({"choices": []}), {"Content-Type": "application/json"})],
)
def test_a_broken_endpoint_is_unavailable(server: LocalServer, response: Response) -> None:
    server.route("/v1/chat/completions", lambda _r: response)
    with pytest.raises(LLMUnavailable):
        llm_summary(DOCS, client(server))


def test_a_slow_endpoint_is_unavailable(server: LocalServer) -> None:
    def slow(_request: Request) -> Response:
        time.sleep(1.5)
        return completion("Four rest centres opened in schools [1].")

    server.route("/v1/chat/completions", slow)
    with pytest.raises(LLMUnavailable):
        llm_summary(DOCS, client(server, timeout=0.5))


def test_answers_are_checked_the_same_way(server: LocalServer) -> None:
    server.route("/v1/chat/completions", lambda _r: completion("Four rest centres opened in schools [1]."))
    [sentence] = llm_answer("Where did evacuees go?", DOCS, client(server))
    assert sentence.article_id == "a1"


def test_support_rule() -> None:
    assert supported("Four rest centres opened in schools.", [DOCS[0].text])
    assert not supported("Five rest centres opened in schools 12.", [DOCS[0].text])
    assert parse_cited("", DOCS) is None

"""Follow-up work announced by actions runs after commit, never after a rollback, and never silently unhandled."""

from __future__ import annotations

import pytest
from django.db import transaction

from newsloom import followups

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_handler_runs_after_commit_and_not_after_rollback(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[str, ...]] = []
    monkeypatch.setitem(followups._handlers, "test event", lambda *ids: calls.append(ids))
    with transaction.atomic():
        followups.announce("test event", "a", "b")
        assert calls == []  # not yet: the transaction may still roll back
    assert calls == [("a", "b")]
    with pytest.raises(RuntimeError), transaction.atomic():
        followups.announce("test event", "c")
        raise RuntimeError("the action failed")
    assert calls == [("a", "b")]


def test_the_task_module_handles_every_announcement() -> None:
    """Django's start-up (the pipeline app) has registered a handler for each announcement actions make."""
    assert set(followups._handlers) >= {followups.ARTICLES_RECORDED, followups.STORIES_CHANGED}


def test_an_announcement_nobody_handles_fails_inside_the_transaction() -> None:
    with pytest.raises(LookupError, match="no handler"), transaction.atomic():
        followups.announce("nobody listens")

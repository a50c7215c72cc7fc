"""Follow-up work that actions announce once their transaction has committed.

An action says what happened ("these articles were recorded", "stories changed"); what that sets in motion is the
task module's business. ``newsloom.tasks`` registers one handler per announcement when it is imported, and the
pipeline app (``newsloom.apps``) imports it whenever Django starts, so every process that can write has them. Actions
therefore never import ``tasks`` (which imports them), and a test may register a handler of its own.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import transaction

ARTICLES_RECORDED = "articles recorded"  # handler(article_ids): pending articles whose pages are to be fetched
STORIES_CHANGED = "stories changed"  # handler(): a story pass changed stories, whose enrichment is now stale

Handler = Callable[..., None]
_handlers: dict[str, Handler] = {}


def register(event: str, handler: Handler) -> None:
    """``handler`` runs after each commit that announced ``event`` (a later registration replaces it)."""
    _handlers[event] = handler


def announce(event: str, *args: Any) -> None:
    """Run ``event``'s handler with ``args`` once the current transaction commits (at once outside one); nothing
    runs if it rolls back. Raises LookupError, inside the transaction, when no handler is registered."""
    handler = _handlers.get(event)
    if handler is None:
        raise LookupError(f"no handler for {event!r}: newsloom.tasks registers them (the pipeline app imports it)")
    transaction.on_commit(lambda: handler(*args))

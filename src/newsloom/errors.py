"""Named outcomes of the pipeline.

Every failure newsloom records is one of these. ``transient`` says whether trying again later can help; ``code`` is a
short stable slug stored with a feed's or article's health; ``str(error)`` is the readable sentence shown to operators.

    NewsloomError
     ├── FetchError                     anything that went wrong getting a URL
     │    ├── TransientFetchError       try again later, with backoff
     │    │    ├── FetchTimeout         connect, read or total time limit hit (also a slow drip, a
     │    │    │                        DNS look-up slower than the connect timeout)
     │    │    ├── ConnectionFailed     DNS failure, connection refused or reset, TLS failure
     │    │    ├── ServerError          HTTP 5xx
     │    │    ├── RateLimited          HTTP 429 (or 503 with Retry-After); ``retry_after`` in seconds
     │    │    └── HostBusy             no free slot for the host within the wait budget: nothing was sent, so
     │    │                             it is no failure; the page is queued again, no attempt or error recorded
     │    └── PermanentFetchError       retrying the same request will not help
     │         ├── InvalidURL           not http(s), no host, unparsable
     │         ├── BlockedAddress       the host resolves to a private, loopback or link-local address
     │         ├── RobotsDisallowed     robots.txt forbids our user agent
     │         ├── TooManyRedirects     redirect limit exceeded or a redirect loop
     │         ├── ResponseTooLarge     body or decompressed body over the configured cap
     │         └── HTTPStatusError      any other 4xx; ``status`` holds the code (410 Gone included)
     ├── FeedParseError                 the bytes are not a feed we can read (permanent)
     │    ├── UnsafeXML                 the XML declares entities (entity expansion, external entities): refused
     │    └── NotAFeed                  an HTML page or another kind of document; ``feed_links`` lists feeds it
     │                                  advertises, if any
     ├── ExtractionError                a page yields no article text (permanent)
     ├── CommentRejected                a comment, an edit or a report that cannot be accepted (permanent); ``code``
     │                                  names why: empty, too-long, too-deep, wrong-thread, not-visible, not-open,
     │                                  not-allowed, invalid, too-fast, too-many, too-many-links, banned,
     │                                  edit-closed
     ├── AccountRefused                 an account change that cannot be made (a name too long, taken, ...)
     └── InternalError                  a bug in a step (an unexpected exception), recorded like any other failure
"""

from __future__ import annotations


class NewsloomError(Exception):
    """Base of every recorded failure."""

    code: str = "error"
    transient: bool = False

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class FetchError(NewsloomError):
    code = "fetch-error"

    def __init__(self, message: str, *, url: str | None = None) -> None:
        super().__init__(message)
        self.url = url


class TransientFetchError(FetchError):
    code = "transient"
    transient = True


class FetchTimeout(TransientFetchError):
    code = "timeout"


class ConnectionFailed(TransientFetchError):
    code = "connection-failed"


class ServerError(TransientFetchError):
    code = "server-error"

    def __init__(self, message: str, *, url: str | None = None, status: int = 500) -> None:
        super().__init__(message, url=url)
        self.status = status


class RateLimited(TransientFetchError):
    code = "rate-limited"

    def __init__(
        self, message: str, *, url: str | None = None, status: int = 429, retry_after: float | None = None
    ) -> None:
        super().__init__(message, url=url)
        self.status = status
        self.retry_after = retry_after


class HostBusy(TransientFetchError):
    """No free slot for the host (``hostlimit``) within the caller's wait budget: the request was never made.

    Raised so a worker thread moves on to other hosts' work instead of waiting behind one slow host; the caller
    queues the work again later and records neither an attempt nor an error."""

    code = "host-busy"


class PermanentFetchError(FetchError):
    code = "permanent"


class InvalidURL(PermanentFetchError):
    code = "invalid-url"


class BlockedAddress(PermanentFetchError):
    code = "blocked-address"


class RobotsDisallowed(PermanentFetchError):
    code = "robots-disallowed"


class TooManyRedirects(PermanentFetchError):
    code = "too-many-redirects"


class ResponseTooLarge(PermanentFetchError):
    code = "too-large"


class HTTPStatusError(PermanentFetchError):
    code = "http-error"

    def __init__(self, message: str, *, url: str | None = None, status: int) -> None:
        super().__init__(message, url=url)
        self.status = status


class FeedParseError(NewsloomError):
    code = "parse-error"


class UnsafeXML(FeedParseError):
    code = "unsafe-xml"


class NotAFeed(FeedParseError):
    code = "not-a-feed"

    def __init__(self, message: str, *, feed_links: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.feed_links = feed_links


class ExtractionError(NewsloomError):
    code = "extraction-failed"


class CommentRejected(NewsloomError):
    """A reader's write refused by the community actions; ``str(error)`` is the sentence to show the reader."""

    code = "comment-rejected"

    def __init__(self, message: str, *, code: str) -> None:
        super().__init__(message)
        self.code = code


class InternalError(NewsloomError):
    """An unexpected exception in a step, recorded on the feed or article it was for, so that it is never only
    in a log."""

    code = "internal-error"
class AccountRefused(NewsloomError):
    """A change to a reader's account refused by the accounts actions; ``str(error)`` is the sentence to show."""

    code = "account-refused"

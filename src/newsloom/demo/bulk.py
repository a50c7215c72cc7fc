"""A large synthetic mini-web for benchmarks, built by recombining the demo paragraphs with seeded variation.

Feeds and the ground truth are built up front (fast); article pages (30-80 KB of HTML each) are rendered on first
request and cached.
"""

from __future__ import annotations

import random
import re
from datetime import UTC, datetime, timedelta

from newsloom.demo.boilerplate import BOILERPLATE_PHRASES
from newsloom.demo.content import raw_events, split_sentences, to_demo_article
from newsloom.demo.models import DemoFeed, Doc, FeedSpec, Publisher
from newsloom.demo.pages import TEMPLATES
from newsloom.demo.server import MiniWeb, bind_servers
from newsloom.demo.web import demo_feed, place_publishers, populate_site

CITIES = ("Northfield", "Ashby", "Corran", "Wexley", "Ravensmoor", "Lindale", "Portmarsh", "Elmstead", "Highcliff",
          "Saltbridge")  # fmt: skip
MASTHEADS = ("Observer", "Herald", "Chronicle", "Post", "Gazette", "Times", "Courier", "Record", "Sentinel", "Echo")
COUNTRIES = ("GB", "US", "IN", "DE", "AU", "NZ", "IE", "CA", "ZA", "SG")
KINDS = ("private", "private", "public", "private", "wire", "private", "state", "private", "private", "public")
FORMATS = ("rss20", "atom10", "rss10", "json11")
FEED_PATHS = {"rss20": "/feed.rss", "atom10": "/feed.atom", "rss10": "/feed.rdf", "json11": "/feed.json"}
FIRST = ("Anna", "Tomas", "Priya", "Kwame", "Lena", "Oskar", "Mira", "Daniel", "Ines", "Rafael", "Yara", "Callum")
LAST = ("Hollis", "Brandt", "Iyer", "Mensah", "Novak", "Carver", "Lindqvist", "Okafor", "Reyes", "Fairlie")
LEADS = (
    "Fresh details emerged on {day} about {topic}.",
    "{topic} dominated the agenda in {city} on {day}.",
    "Officials in {city} faced new questions on {day} over {topic}.",
    "Residents of {city} were still taking in the news about {topic} on {day}.",
    "The latest developments in {topic} were being closely followed in {city} on {day}.",
)
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_NUMBER = re.compile(r"\b\d{2,}\b")


def _slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60]


def _publisher(i: int) -> Publisher:
    city, masthead = CITIES[i % 10], MASTHEADS[(i // 10 + i) % 10]
    name = f"The {city} {masthead}" + (f" {i // 100 + 1}" if i >= 100 else "")
    fmt = FORMATS[i % len(FORMATS)]
    return Publisher(
        slug=_slugify(name),
        name=name,
        country=COUNTRIES[i % len(COUNTRIES)],
        kind=KINDS[i % len(KINDS)],
        template=sorted(TEMPLATES)[i % len(TEMPLATES)],
        tagline=f"News from {city} and beyond",
        path_pattern="/a/{slug}" if i % 2 else "/news/{slug}.html",
        feeds=(FeedSpec(path=FEED_PATHS[fmt], format=fmt, title=f"{name} - All stories"),),
        robots="User-agent: *\nAllow: /\n",
        image_format="png" if i % 3 == 0 else "svg",
    )


class _Writer:
    """Seeded recombination of demo sentences into new article texts."""

    def __init__(self, rnd: random.Random) -> None:
        self.rnd = rnd
        self.events: list[tuple[str, str, list[str]]] = []
        for ev in raw_events():
            sentences = [s for a in ev["articles"] for p in a["paragraphs"] for s in split_sentences(p)]
            self.events.append((ev["slug"], ev["title"], sentences))
        self.all_sentences = [s for _, _, ss in self.events for s in ss]

    def _vary(self, sentence: str) -> str:
        return _NUMBER.sub(lambda m: str(self.rnd.randint(12, 9800)), sentence)

    def article(self) -> tuple[str, str, str, list[str]]:
        """(event slug, title, author, paragraphs) of one new text of 300-900 words."""
        rnd = self.rnd
        slug, topic, own = self.events[rnd.randrange(len(self.events))]
        city = rnd.choice(CITIES)
        target = rnd.randint(300, 780)  # the last paragraph overshoots by up to ~120 words
        lead = rnd.choice(LEADS).format(day=rnd.choice(DAYS), city=city, topic=topic.lower())
        paragraphs = [f"{lead} {self._vary(rnd.choice(own))}"]
        words = len(paragraphs[0].split())
        while words < target:
            size = rnd.randint(2, 4)
            picked = [
                self._vary(rnd.choice(own) if rnd.random() < 0.7 else rnd.choice(self.all_sentences))
                for _ in range(size)
            ]
            para = " ".join(picked)
            paragraphs.append(para)
            words += len(para.split())
        title = f"{topic}: {rnd.choice(('latest', 'what we know', 'reaction', 'analysis', 'update'))} from {city}"
        author = f"{rnd.choice(FIRST)} {rnd.choice(LAST)}"
        return slug, title, author, paragraphs


def bulk_miniweb(*, articles: int = 1000, feeds: int = 50, host: str = "127.0.0.1", seed: int = 0) -> MiniWeb:
    """Start a large synthetic mini-web: ``feeds`` publishers (one feed each) sharing ``articles`` articles."""
    if feeds < 1:
        raise ValueError("bulk_miniweb needs at least one feed")
    rnd = random.Random(seed)
    now = datetime.now(UTC).replace(microsecond=0)
    raw = [_publisher(i) for i in range(feeds)]
    servers = bind_servers(host, [p.slug for p in raw], 0)
    try:
        pubs = place_publishers(raw, servers, host)
        writer = _Writer(rnd)
        per_pub: list[list[Doc]] = [[] for _ in pubs]
        pads: dict[str, int] = {}
        for j in range(articles):
            k = j % feeds
            pub = pubs[k]
            event, title, author, paragraphs = writer.article()
            hours = rnd.uniform(0.2, 48) if rnd.random() < 0.75 else rnd.uniform(48, 240)
            doc = Doc(
                id=f"{j:05d}-{_slugify(title)}",
                source=pub.slug,
                event=event,
                title=title,
                author=author,
                published=now - timedelta(seconds=round(hours * 3600)),
                paragraphs=paragraphs,
            )
            doc.path = pub.path_pattern.format(slug=doc.id)
            doc.url = pub.homepage.rstrip("/") + doc.path
            doc.image_path = f"/images/{doc.id}.{pub.image_format}"
            doc.summary = split_sentences(paragraphs[0])[0]
            per_pub[k].append(doc)
            # ~200 bytes of markup per pad unit on top of 4-8 KB of template and ~6 bytes per word of text
            pads[doc.id] = max(0, (rnd.randint(33_000, 76_000) - 6_500 - 6 * doc.word_count) // 200)
        out_feeds: list[DemoFeed] = []
        all_docs: list[Doc] = []
        for pub, srv, docs in zip(pubs, servers, per_pub, strict=True):
            populate_site(srv.site, pub, docs, now, lazy=True, pad=lambda d: pads[d.id])
            out_feeds.extend(demo_feed(pub, f.path, f.format, f.broken) for f in pub.feeds)
            all_docs.extend(docs)
        web = MiniWeb(
            servers, out_feeds, [to_demo_article(d) for d in all_docs], BOILERPLATE_PHRASES, [p.homepage for p in pubs]
        )
        web.publishers = pubs
    except BaseException:
        for srv in servers:
            srv.server_close()
        raise
    return web.start()

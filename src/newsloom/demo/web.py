"""Assembles the demo mini-web: publishers bound to ports, their pages, feeds, images and robots.txt."""

from __future__ import annotations

import zlib
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime

from newsloom.demo.boilerplate import BOILERPLATE_PHRASES
from newsloom.demo.content import build_docs, raw_publishers, to_demo_article
from newsloom.demo.feedgen import CONTENT_TYPES, render_feed
from newsloom.demo.models import DemoFeed, Doc, Publisher
from newsloom.demo.pages import PageCtx, png_image, render_article, render_homepage, render_private, svg_image
from newsloom.demo.server import HTML, TEXT, MiniWeb, Resource, Site, SiteServer, bind_servers


def demo_feed(pub: Publisher, path: str, fmt: str, broken: bool) -> DemoFeed:
    return DemoFeed(
        url=pub.homepage.rstrip("/") + path,
        source_name=pub.name,
        source_slug=pub.slug,
        homepage=pub.homepage,
        country=pub.country,
        language=pub.language,
        kind=pub.kind,
        format=fmt,
        broken=broken,
    )


def page_seed(doc: Doc) -> int:
    return zlib.crc32(doc.url.encode())


def populate_site(
    site: Site,
    pub: Publisher,
    docs: list[Doc],
    now: datetime,
    *,
    lazy: bool = False,
    pad: Callable[[Doc], int] = lambda doc: 0,
) -> None:
    """Routes of one publisher: homepage, robots.txt, feeds, article pages (built lazily if asked), images."""
    newest = sorted(docs, key=lambda d: d.published, reverse=True)
    site.add("/", Resource(render_homepage(pub, newest, now).encode(), HTML, now))
    site.add("/robots.txt", Resource(pub.robots.encode(), TEXT, now))
    if "/private/" in pub.robots:
        site.add("/private/staff-notes.html", Resource(render_private(pub).encode(), HTML, now))
    for spec in pub.feeds:
        listed = [d for d in docs if spec.only is None or d.id in spec.only]
        body, updated = render_feed(pub, spec, listed)
        site.add(spec.path, Resource(body, CONTENT_TYPES[spec.format], updated))
    for n in range(4):
        site.add(f"/images/promo-{n}.svg", Resource(svg_image(f"promo{n}", "Promotion"), "image/svg+xml", now))
    for doc in docs:
        related = [d for d in newest if d is not doc][:5]

        def build(doc: Doc = doc, related: list[Doc] = related) -> Resource:
            ctx = PageCtx(pub, doc, related, pad=pad(doc), seed=page_seed(doc))
            return Resource(render_article(ctx).encode(), HTML, doc.published)

        if lazy:
            site.lazy[doc.path] = build
        else:
            site.add(doc.path, build())
        if pub.image_format == "png":
            site.add(doc.image_path, Resource(png_image(doc.url), "image/png", doc.published))
        else:
            site.add(doc.image_path, Resource(svg_image(doc.url, doc.title), "image/svg+xml", doc.published))


def place_publishers(pubs: list[Publisher], servers: list[SiteServer], host: str) -> list[Publisher]:
    return [replace(p, homepage=f"http://{host}:{srv.port}/") for p, srv in zip(pubs, servers, strict=True)]


def start_miniweb(*, host: str = "127.0.0.1", base_port: int = 0, now: datetime | None = None) -> MiniWeb:
    """Start the demo mini-web: publisher i on base_port + i (or on free ports if base_port is 0).

    Published times are relative to ``now`` (default: the current time). Raises OSError if a port is taken.
    """
    now = now or datetime.now(UTC)
    if now.tzinfo is None:
        now = now.replace(tzinfo=UTC)
    now = now.replace(microsecond=0)
    raw = list(raw_publishers())
    servers = bind_servers(host, [p.slug for p in raw], base_port)
    try:
        pubs = place_publishers(raw, servers, host)
        by_slug = {p.slug: p for p in pubs}
        docs = build_docs(by_slug, now)
        feeds: list[DemoFeed] = []
        for pub, srv in zip(pubs, servers, strict=True):
            populate_site(srv.site, pub, [d for d in docs if d.source == pub.slug], now)
            feeds.extend(demo_feed(pub, f.path, f.format, f.broken) for f in pub.feeds)
        web = MiniWeb(
            servers,
            feeds,
            [to_demo_article(d) for d in docs],
            BOILERPLATE_PHRASES,
            [p.homepage for p in pubs],
        )
        web.publishers = pubs
    except BaseException:
        for srv in servers:
            srv.server_close()
        raise
    return web.start()

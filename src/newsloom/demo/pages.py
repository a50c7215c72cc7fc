"""HTML templates of the mini-web's publishers: six page structures, each full of boilerplate.

``semantic`` (<article> markup), ``divsoup`` (nested divs, no semantic tags), ``tabloid`` (promos everywhere),
``blog`` (minimal), ``broadcaster`` (data-component blocks) and ``wire`` (agency copy with a licensing notice).
"""

from __future__ import annotations

import hashlib
import html
import json
import struct
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from newsloom.demo import boilerplate as bp
from newsloom.demo.boilerplate import esc
from newsloom.demo.models import Doc, Publisher

FEED_TYPES = {
    "rss20": "application/rss+xml",
    "rss10": "application/rdf+xml",
    "atom10": "application/atom+xml",
    "json11": "application/feed+json",
}


@dataclass
class PageCtx:
    pub: Publisher
    doc: Doc
    related: list[Doc] = field(default_factory=list)
    pad: int = 0  # amount of inline filler (bulk pages are padded to a realistic size)
    seed: int = 0


def iso(dt: datetime) -> str:
    return dt.isoformat(timespec="seconds")


def visible_date(doc: Doc) -> str:
    d = doc.published
    if doc.visible_date_only:
        return f"{d:%B} {d.day}, {d:%Y}"
    return f"{d.day} {d:%B %Y}, {d:%H:%M} UTC"


def time_tag(doc: Doc) -> str:
    if doc.visible_date_only:
        return f'<span class="date">{visible_date(doc)}</span>'
    return f'<time datetime="{iso(doc.published)}">{visible_date(doc)}</time>'


def feed_links(pub: Publisher) -> str:
    return "".join(
        f'<link rel="alternate" type="{FEED_TYPES[f.format]}" title="{esc(f.title)}" '
        f'href="{esc(pub.homepage.rstrip("/") + f.path)}">'
        for f in pub.feeds
    )


def head(ctx: PageCtx) -> str:
    pub, doc = ctx.pub, ctx.doc
    image = pub.homepage.rstrip("/") + doc.image_path
    parts = [
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">',
        f"<title>{esc(doc.title)} | {esc(pub.name)}</title>",
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta name="description" content="{esc(doc.summary)}">',
        f'<meta name="author" content="{esc(doc.author)}">',
        f'<meta property="og:type" content="article"><meta property="og:title" content="{esc(doc.title)}">',
        f'<meta property="og:site_name" content="{esc(pub.name)}"><meta property="og:image" content="{esc(image)}">',
        f'<meta property="og:url" content="{esc(doc.url)}">',
    ]
    if pub.canonical:
        parts.append(f'<link rel="canonical" href="{esc(doc.url)}">')
    if not doc.visible_date_only:
        parts.append(f'<meta property="article:published_time" content="{iso(doc.published)}">')
        ld = {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": doc.title,
            "datePublished": iso(doc.published),
            "author": {"@type": "Person", "name": doc.author},
            "image": [image],
            "publisher": {"@type": "Organization", "name": pub.name},
            "mainEntityOfPage": doc.url,
        }
        parts.append('<script type="application/ld+json">' + json.dumps(ld).replace("</", "<\\/") + "</script>")
    parts.append(feed_links(pub))
    parts.append(bp.filler(ctx.seed, ctx.pad))
    parts.append("</head>")
    return "".join(parts)


def body_html(doc: Doc, between: dict[int, str] | None = None, tag: str = "p") -> str:
    """The article paragraphs, with boilerplate fragments inserted after the given paragraph indexes."""
    between = between or {}
    out = []
    for i, para in enumerate(doc.paragraphs):
        out.append(f"<{tag}>{html.escape(para, quote=False)}</{tag}>")
        if i in between and i < len(doc.paragraphs) - 1:
            out.append(between[i])
    return "".join(out)


def figure(ctx: PageCtx, cls: str = "lead-image") -> str:
    return (
        f'<figure class="{cls}"><img src="{esc(ctx.doc.image_path)}" alt="{esc(ctx.doc.title)}" width="640" '
        f'height="360"><figcaption>{esc(ctx.doc.summary[:90])}</figcaption></figure>'
    )


def semantic(ctx: PageCtx) -> str:
    pub, doc = ctx.pub, ctx.doc
    return (
        head(ctx)
        + '<body class="article-page">'
        + bp.cookie_banner()
        + "<header>"
        + bp.nav(pub, extra_links=ctx.pad)
        + '</header><main id="main"><article class="story">'
        + f'<header class="story-header"><p class="kicker">{esc(doc.section)}</p><h1>{esc(doc.title)}</h1>'
        + f'<p class="byline">By <span class="author">{esc(doc.author)}</span></p>{time_tag(doc)}</header>'
        + bp.share_bar()
        + figure(ctx)
        + '<div class="story-body">'
        + body_html(doc, {1: bp.newsletter_box(pub), 3: bp.ad_slot(2)})
        + "</div>"
        + '<footer class="story-footer">'
        + bp.share_bar("share-bar bottom")
        + "</footer></article>"
        + bp.related_list(ctx.related)
        + bp.app_promo()
        + bp.comments(ctx.seed)
        + "</main>"
        + f'<aside class="sidebar">{bp.related_list(ctx.related[::-1], bp.MOST_READ, "most-read")}'
        + bp.ad_slot(3)
        + "</aside>"
        + bp.footer(pub, doc.published.year)
        + "</body></html>"
    )


def divsoup(ctx: PageCtx) -> str:
    pub, doc = ctx.pub, ctx.doc
    inserts = {1: bp.ad_slot(2), 3: bp.newsletter_box(pub, "div")}
    paras = "".join(
        f'<div class="p">{html.escape(p, quote=False)}<br></div>'
        + (inserts[i] if i in inserts and i < len(doc.paragraphs) - 1 else "")
        for i, p in enumerate(doc.paragraphs)
    )
    return (
        head(ctx)
        + '<body><div id="wrapper">'
        + bp.cookie_banner("popup")
        + '<div class="hdr"><div class="logo-row">'
        + f'<div class="title">{esc(pub.name)}</div>'
        + f'<div class="tagline">{esc(pub.tagline)}</div></div>'
        + bp.nav(pub, "menu", ctx.pad)
        + "</div>"
        + '<div class="cols"><div class="col-left">'
        + bp.related_list(ctx.related, bp.READ_MORE, "morelinks")
        + bp.ad_slot(1)
        + '</div><div class="col-main" id="main">'
        + f'<div class="story-headline"><span class="h">{esc(doc.title)}</span></div>'
        + f'<div class="info">By {esc(doc.author)} | {time_tag(doc)}</div>'
        + figure(ctx, "pic")
        + f'<div class="txt">{paras}</div>'
        + f'<ul class="article-tools"><li><a href="#print">{bp.PRINT}</a></li>'
        + f'<li><a href="#mail">{bp.EMAIL_FRIEND}</a></li></ul>'
        + bp.share_bar("tools")
        + bp.comments(ctx.seed, 2, "cmts")
        + '</div><div class="col-right">'
        + bp.related_list(ctx.related[::-1], bp.MOST_READ, "popular")
        + bp.app_promo()
        + "</div></div>"
        + bp.footer(pub, doc.published.year)
        + "</div></body></html>"
    )


def _tab_promo(text: str, n: int) -> str:
    return (
        f'<div class="promo-tile promo-{n}"><a href="/promo/{n}"><img src="/images/promo-{n}.svg" alt="">'
        f"{text}</a></div>"
    )


def tabloid(ctx: PageCtx) -> str:
    pub, doc = ctx.pub, ctx.doc
    trending = "".join(f'<a href="{esc(d.path)}">{esc(d.title.upper())}</a>' for d in ctx.related[:4])
    inline = {
        0: _tab_promo(bp.TAB_PROMO_2, 1),
        1: bp.ad_slot(1),
        2: f'<div class="inline-promo"><b>{bp.TAB_PROMO_3}</b></div>',
        3: bp.newsletter_box(pub, "div"),
        5: bp.ad_slot(2),
    }
    return (
        head(ctx)
        + '<body class="tabloid">'
        + bp.cookie_banner("wall")
        + bp.nav(pub, "topnav", ctx.pad)
        + f'<div class="trending"><span>TRENDING</span>{trending}</div>'
        + _tab_promo(bp.TAB_PROMO_1, 0)
        + f'<div class="paywall-nag">{bp.PAYWALL}</div>'
        + '<div class="article-wrap" id="main"><div class="article-text">'
        + f'<h1 class="headline">{esc(doc.title)}</h1>'
        + f'<div class="author-bar">By <a rel="author" href="/authors">{esc(doc.author)}</a> {time_tag(doc)}</div>'
        + bp.share_bar("share-tabloid")
        + figure(ctx, "main-pic")
        + body_html(doc, inline)
        + bp.share_bar("share-tabloid bottom")
        + "</div>"
        + f'<div class="side-column">{bp.related_list(ctx.related, bp.MOST_READ, "most-read")}'
        + _tab_promo(bp.SPONSORED, 2)
        + _tab_promo(bp.TAB_PROMO_1, 3)
        + "</div></div>"
        + bp.related_list(ctx.related[::-1], bp.RELATED, "more-stories")
        + bp.app_promo()
        + bp.comments(ctx.seed, 5, "comments-tabloid")
        + bp.footer(pub, doc.published.year)
        + "</body></html>"
    )


def blog(ctx: PageCtx) -> str:
    pub, doc = ctx.pub, ctx.doc
    return (
        head(ctx)
        + '<body class="single-post">'
        + bp.cookie_banner("slim")
        + f'<div class="site-header"><a href="/">{esc(pub.name)}</a> <span>{esc(pub.tagline)}</span></div>'
        + bp.nav(pub, "blog-nav", ctx.pad)
        + f'<div class="post" id="main"><h1 class="post-title">{esc(doc.title)}</h1>'
        + f'<div class="post-meta">by {esc(doc.author)} on {time_tag(doc)}</div>'
        + figure(ctx, "wp-image")
        + f'<div class="entry-content">{body_html(doc)}</div>'
        + f'<aside class="support-box donate"><p>{bp.BLOG_SUPPORT}.</p></aside>'
        + bp.share_bar("sharedaddy")
        + "</div>"
        + f'<div class="widget"><h3>{bp.BLOG_ARCHIVE}</h3><ul><li>This month</li><li>Last month</li></ul></div>'
        + bp.related_list(ctx.related, bp.RELATED, "jp-related")
        + bp.comments(ctx.seed, 4, "comment-list")
        + bp.footer(pub, doc.published.year)
        + "</body></html>"
    )


def broadcaster(ctx: PageCtx) -> str:
    pub, doc = ctx.pub, ctx.doc
    blocks = "".join(f'<div data-component="text-block"><p>{esc(p)}</p></div>' for p in doc.paragraphs)
    mid = len(doc.paragraphs) // 2
    first = "".join(f'<div data-component="text-block"><p>{esc(p)}</p></div>' for p in doc.paragraphs[:mid])
    second = blocks[len(first) :]
    return (
        head(ctx)
        + "<body>"
        + bp.cookie_banner("banner")
        + '<header role="banner">'
        + bp.nav(pub, "orb-nav", ctx.pad)
        + f'<div class="live-banner"><a href="/live">{bp.LIVE}</a></div></header>'
        + '<main id="main" role="main"><div data-component="headline-block">'
        + f'<h1 id="main-heading">{esc(doc.title)}</h1></div>'
        + f'<div data-component="byline-block"><span>{esc(doc.author)}</span> {time_tag(doc)}</div>'
        + f'<div data-component="media-block"><button class="listen">{bp.LISTEN}</button>{figure(ctx)}</div>'
        + first
        + f'<div data-component="links-block">{bp.related_list(ctx.related, bp.RELATED, "inline-related")}'
        + "</div>"
        + second
        + f'<div data-component="podcast-promo"><a href="/podcast">{bp.PODCAST}</a></div>'
        + bp.share_bar("share-tools")
        + bp.newsletter_box(pub, "div")
        + "</main>"
        + f'<aside class="most-read">{bp.related_list(ctx.related[::-1], bp.MOST_READ, "mr")}</aside>'
        + bp.comments(ctx.seed, 3, "comments-module")
        + bp.app_promo()
        + bp.footer(pub, doc.published.year)
        + "</body></html>"
    )


def wire(ctx: PageCtx) -> str:
    pub, doc = ctx.pub, ctx.doc
    return (
        head(ctx)
        + "<body>"
        + bp.cookie_banner("notice")
        + bp.nav(pub, "wire-nav", ctx.pad)
        + '<div class="wire-story" id="main">'
        + f'<h1 class="wire-headline">{esc(doc.title)}</h1><p class="wire-meta">{esc(doc.author)} | {time_tag(doc)}'
        + f" | {esc(doc.section)}</p>"
        + figure(ctx, "wire-photo")
        + f'<div class="story-text">{body_html(doc)}</div>'
        + f'<footer class="wire-notice copyright"><small>{bp.WIRE_RIGHTS}. {bp.WIRE_LICENSING}.</small></footer>'
        + bp.share_bar("wire-share")
        + "</div>"
        + bp.related_list(ctx.related, bp.RELATED, "wire-related")
        + bp.newsletter_box(pub)
        + bp.footer(pub, doc.published.year)
        + "</body></html>"
    )


TEMPLATES: dict[str, Callable[[PageCtx], str]] = {
    "semantic": semantic,
    "divsoup": divsoup,
    "tabloid": tabloid,
    "blog": blog,
    "broadcaster": broadcaster,
    "wire": wire,
}


def render_article(ctx: PageCtx) -> str:
    return TEMPLATES[ctx.pub.template](ctx)


def render_homepage(pub: Publisher, docs: list[Doc], now: datetime) -> str:
    items = "".join(
        f'<li class="teaser"><a href="{esc(d.path)}">{esc(d.title)}</a><p>{esc(d.summary)}</p>{time_tag(d)}</li>'
        for d in sorted(docs, key=lambda d: d.published, reverse=True)
    )
    private = '<li><a href="/private/staff-notes.html">Staff notes</a></li>' if "/private/" in pub.robots else ""
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{esc(pub.name)} - {esc(pub.tagline)}</title>"
        f'<meta property="og:site_name" content="{esc(pub.name)}">{feed_links(pub)}</head><body class="home">'
        + bp.cookie_banner()
        + bp.nav(pub)
        + f'<main id="main"><h1>{esc(pub.name)}</h1>'
        + f'<p class="tagline">{esc(pub.tagline)}</p><ul class="latest">{items}{private}</ul></main>'
        + bp.newsletter_box(pub)
        + bp.app_promo()
        + bp.footer(pub, now.year)
        + "</body></html>"
    )


def render_private(pub: Publisher) -> str:
    return (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Staff notes | {esc(pub.name)}</title>'
        '<meta name="robots" content="noindex"></head><body><h1>Staff notes</h1>'
        "<p>Internal rota and draft notes. Crawlers must not fetch this page.</p></body></html>"
    )


def _color(key: str) -> tuple[int, int, int]:
    h = hashlib.sha1(key.encode()).digest()
    return h[0] // 2 + 40, h[1] // 2 + 40, h[2] // 2 + 60


def svg_image(key: str, label: str) -> bytes:
    r, g, b = _color(key)
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" width="640" height="360" viewBox="0 0 640 360">'
        f'<rect width="640" height="360" fill="rgb({r},{g},{b})"/>'
        f'<circle cx="{160 + r}" cy="{120 + g // 4}" r="{40 + b // 4}" fill="rgba(255,255,255,0.25)"/>'
        f'<text x="24" y="330" font-family="sans-serif" font-size="22" fill="#fff">{esc(label[:48])}</text></svg>'
    ).encode()


def png_image(key: str, width: int = 32, height: int = 18) -> bytes:
    r, g, b = _color(key)
    raw = b"".join(b"\x00" + bytes((r, g, b)) * width for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")

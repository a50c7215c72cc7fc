"""Page furniture around (and inside) the article container: the text an extractor must drop.

Every phrase in ``BOILERPLATE_PHRASES`` is written verbatim (unescaped) into the pages and never occurs in article text.
"""

from __future__ import annotations

import html
import random

from newsloom.demo.models import Doc, Publisher

COOKIE = "We use cookies to give you the best possible experience"
COOKIE_ACCEPT = "Accept all cookies"
COOKIE_MANAGE = "Manage privacy preferences"
SKIP = "Skip to main content"
SHARE_FB = "Share on Facebook"
SHARE_X = "Share on X"
SHARE_MAIL = "Share via email"
NEWSLETTER = "Sign up for our morning briefing"
NEWSLETTER_SUB = "Delivered to your inbox every weekday at 7am"
APP = "Get the app for breaking news alerts"
RELATED = "Related stories"
MOST_READ = "Most read this week"
READ_MORE = "Read more from our correspondents"
COMMENTS = "Reader comments"
COMMENTS_NOTE = "Comments are moderated and may take a few minutes to appear"
AD = "Advertisement"
SPONSORED = "Sponsored content from our partners"
RIGHTS = "All rights reserved"
TERMS = "Terms of use and privacy policy"
CONTACT = "Contact the newsroom"
FOLLOW = "Follow us on social media"
PAYWALL = "Subscribe for unlimited access"
PODCAST = "Download our daily podcast"
LISTEN = "Listen to this article"
LIVE = "Watch the live stream now"
TAB_PROMO_1 = "Win a luxury family holiday"
TAB_PROMO_2 = "PICTURED: inside the celebrity mansions"
TAB_PROMO_3 = "Click here to claim your voucher"
BLOG_SUPPORT = "Support this blog on a monthly plan"
BLOG_ARCHIVE = "Browse the archive by month"
PRINT = "Print this page"
EMAIL_FRIEND = "Email this story to a friend"
WIRE_RIGHTS = "This material may not be published, broadcast, rewritten or redistributed"
WIRE_LICENSING = "For licensing enquiries contact our sales desk"

COMMENT_TEXTS = (
    "Absolutely shocking, someone should be held accountable for this.",
    "I live two streets away and nobody warned us about any of it.",
    "Great reporting as always, thank you for keeping us informed.",
    "Does anyone know whether the number on the website is still correct?",
    "Same thing happened twenty years ago and nothing was learned.",
)
COMMENTERS = ("OldHarbourHand", "kestrel_fan_88", "M. Okafor", "quietreader", "Tess from Linwood")

BOILERPLATE_PHRASES: tuple[str, ...] = (
    COOKIE, COOKIE_ACCEPT, COOKIE_MANAGE, SKIP, SHARE_FB, SHARE_X, SHARE_MAIL, NEWSLETTER, NEWSLETTER_SUB, APP,
    RELATED, MOST_READ, READ_MORE, COMMENTS, COMMENTS_NOTE, AD, SPONSORED, RIGHTS, TERMS, CONTACT, FOLLOW, PAYWALL,
    PODCAST, LISTEN, LIVE, TAB_PROMO_1, TAB_PROMO_2, TAB_PROMO_3, BLOG_SUPPORT, BLOG_ARCHIVE, PRINT, EMAIL_FRIEND,
    WIRE_RIGHTS, WIRE_LICENSING, *COMMENT_TEXTS,
)  # fmt: skip

NAV_SECTIONS = ("Home", "World", "Business", "Technology", "Science", "Sport", "Culture", "Weather", "Opinion")


def esc(text: str) -> str:
    return html.escape(text, quote=True)


def cookie_banner(style: str = "bar") -> str:
    return (
        f'<div class="cookie-{style} consent" role="dialog" aria-label="Cookie consent"><p>{COOKIE}. '
        f'See our cookie policy.</p><button class="accept">{COOKIE_ACCEPT}</button>'
        f'<a href="/privacy#settings">{COOKIE_MANAGE}</a></div>'
    )


def nav(pub: Publisher, cls: str = "site-nav", extra_links: int = 0) -> str:
    items = "".join(f'<li><a href="/section/{s.lower()}">{s}</a></li>' for s in NAV_SECTIONS)
    mega = ""
    if extra_links:
        mega = (
            '<ul class="mega-menu">'
            + "".join(
                f'<li><a href="/topics/topic-{i}">Topic {i}: {NAV_SECTIONS[i % len(NAV_SECTIONS)]} index</a></li>'
                for i in range(extra_links)
            )
            + "</ul>"
        )
    return (
        f'<nav class="{cls}"><a class="skip-link" href="#main">{SKIP}</a>'
        f'<a class="logo" href="/">{esc(pub.name)}</a><ul>{items}</ul>{mega}</nav>'
    )


def share_bar(cls: str = "share-bar") -> str:
    return (
        f'<div class="{cls}"><a href="#share-fb">{SHARE_FB}</a> <a href="#share-x">{SHARE_X}</a> '
        f'<a href="#share-mail">{SHARE_MAIL}</a></div>'
    )


def newsletter_box(pub: Publisher, tag: str = "aside") -> str:
    return (
        f'<{tag} class="newsletter-signup promo"><h3>{NEWSLETTER}</h3><p>{NEWSLETTER_SUB}, '
        f'free from {esc(pub.name)}.</p><form action="/newsletter" method="post"><input type="email" '
        f'name="email" placeholder="Your email"><button>Sign up</button></form></{tag}>'
    )


def app_promo() -> str:
    return f'<div class="app-promo"><strong>{APP}</strong> <a href="/app">Download</a></div>'


def ad_slot(n: int = 1) -> str:
    return f'<div class="ad-slot ad-{n}" data-ad-unit="mpu-{n}"><span class="ad-label">{AD}</span></div>'


def related_list(docs: list[Doc], heading: str = RELATED, cls: str = "related") -> str:
    links = "".join(f'<li><a href="{esc(d.path)}">{esc(d.title)}</a></li>' for d in docs[:5])
    return f'<section class="{cls}"><h2>{heading}</h2><ul>{links}</ul></section>'


def comments(seed: int, count: int = 3, cls: str = "comments") -> str:
    rnd = random.Random(seed)
    items = []
    for i in range(count):
        who = COMMENTERS[(seed + i) % len(COMMENTERS)]
        text = COMMENT_TEXTS[(seed + i * 2) % len(COMMENT_TEXTS)]
        items.append(
            f'<li class="comment"><span class="comment-author">{esc(who)}</span> '
            f'<span class="comment-time">{rnd.randint(2, 59)} minutes ago</span><p>{text}</p>'
            f'<a class="reply" href="#reply">Reply</a> <span class="likes">{rnd.randint(0, 240)} likes</span></li>'
        )
    return (
        f'<section class="{cls}" id="comments"><h2>{COMMENTS} ({count})</h2><p class="note">{COMMENTS_NOTE}.</p>'
        f"<ol>{''.join(items)}</ol></section>"
    )


def footer(pub: Publisher, year: int) -> str:
    return (
        f'<footer class="site-footer"><p>{FOLLOW}</p><ul><li><a href="/about">About us</a></li>'
        f'<li><a href="/contact">{CONTACT}</a></li><li><a href="/terms">{TERMS}</a></li></ul>'
        f"<p>&copy; {year} {esc(pub.name)}. {RIGHTS}.</p></footer>"
    )


def filler(seed: int, entries: int) -> str:
    """Inline page state and styles: the bulk of a modern news page's bytes, none of it text."""
    if entries <= 0:
        return ""
    rnd = random.Random(seed)
    state = ",".join(
        f'{{"id":"m{rnd.getrandbits(40):010x}","slot":"{i}","w":{rnd.randint(200, 900)},'
        f'"track":"https://metrics.example/p?e={rnd.getrandbits(32):08x}&k=view"}}'
        for i in range(entries)
    )
    css = "".join(
        f".c{i}{{margin:{i % 7}px;padding:{i % 5}px;color:#{(i * 7919) % 0xFFFFFF:06x}}}" for i in range(entries)
    )
    return f'<style>{css}</style><script type="application/json" id="__STATE__">[{state}]</script>'

"""Full-text search on whichever database the suite runs on (SQLite FTS5, or PostgreSQL when NEWSLOOM_DATABASE_URL is
postgres): ranking, filters, safe snippets, hostile queries, and an index that follows every write."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, date, datetime

import pytest
from django.db import connection
from hypothesis import HealthCheck, given
from hypothesis import settings as hyp_settings
from hypothesis import strategies as st

from newsloom.articles import actions
from newsloom.articles.models import Article
from newsloom.articles.search import SearchPage, ensure_search_index, search
from newsloom.articles.search_query import COMMON_WORDS, NO_WORDS, ONLY_EXCLUDED, Term, mark_snippet, parse_query
from newsloom.core.ingest.feeds import FeedEntry
from newsloom.core.reading.extract import ExtractedArticle
from newsloom.core.urls import article_id
from newsloom.errors import PermanentFetchError
from newsloom.sources.actions import create_feed, ensure_source
from newsloom.sources.models import Source

SQLITE = connection.vendor == "sqlite"
POSTGRES = connection.vendor == "postgresql"
OK = Article.Status.OK


def make(source: Source, title: str, text: str, *, published: datetime | None = None, language: str = "en",
         status: str = OK) -> Article:
    aid = uuid.uuid4().hex
    return Article.objects.create(
        id=aid, url=f"http://{source.slug}.test/{aid}", canonical_url=f"http://{source.slug}.test/{aid}",
        source=source, title=title, text=text, language=language, status=status,
        published_at=published or datetime(2026, 11, 20, 9, tzinfo=UTC),
    )


def ids(page: SearchPage) -> list[str]:
    assert page.error is None, page.error
    return [hit.article.pk for hit in page.results]


@pytest.fixture
def gazette(db) -> Source:  # type: ignore[no-untyped-def]
    return ensure_source("Test Gazette", homepage="http://gazette.test/")


@pytest.fixture
def herald(db) -> Source:  # type: ignore[no-untyped-def]
    return ensure_source("River Herald", homepage="http://herald.test/")


# -- the query language, without a database --

def test_parse_query_understands_phrases_exclusions_and_or() -> None:
    parsed = parse_query('flood "river barrier" -council storm OR rain')
    assert parsed.clauses == [[Term(("flood",))], [Term(("river", "barrier"))], [Term(("storm",)), Term(("rain",))]]
    assert parsed.excluded == [Term(("council",))]
    assert parse_query("NOT council barr*").excluded == [Term(("council",))]
    assert parse_query("barr*").clauses == [[Term(("barr",), prefix=True)]]
    assert parse_query('"unclosed phrase').clauses == [[Term(("unclosed", "phrase"))]]
    assert parse_query("AND OR ( * - \"\" :").clauses == []
    assert parse_query("don't e-mail").clauses == [[Term(("don", "t"))], [Term(("e", "mail"))]]


def test_mark_snippet_escapes_and_always_balances() -> None:
    assert mark_snippet("a \ue000<b>\ue001 & c") == "a <mark>&lt;b&gt;</mark> &amp; c"
    assert mark_snippet("\ue001x \ue000y") == "x <mark>y</mark>"
    assert mark_snippet("\ue000\ue000x\ue001\ue001") == "<mark>x</mark>"


# -- search on the database --

@pytest.mark.django_db
def test_title_matches_rank_first_and_text_matches_follow(gazette: Source) -> None:
    in_title = make(gazette, "Flood barrier approved", "The council voted on Tuesday. Work begins in spring.")
    in_text = make(gazette, "Council meeting", "Floods again. The flood plain flooded twice; flood defences failed.")
    make(gazette, "Budget passes", "Nothing about water at all.")
    page = search("flood")
    assert ids(page) == [in_title.pk, in_text.pk] and page.total == 2
    assert page.results[0].rank > page.results[1].rank
    assert "<mark>" in page.results[1].snippet_html and "flood" in page.results[1].snippet_html.lower()


@pytest.mark.django_db
def test_phrases_exclusion_and_or(gazette: Source) -> None:
    barrier = make(gazette, "River barrier", "The river barrier holds the water back.")
    reversed_ = make(gazette, "Barrier on the river", "A barrier was built on the river by the council.")
    storm = make(gazette, "Storm warning", "A storm is coming.")
    assert ids(search('"river barrier"')) == [barrier.pk]
    assert ids(search("barrier -council")) == [barrier.pk]
    assert set(ids(search("storm OR council"))) == {reversed_.pk, storm.pk}
    assert set(ids(search("barr*"))) == ({barrier.pk, reversed_.pk} if SQLITE else set())


@pytest.mark.django_db
def test_filters_source_language_dates_and_pending(gazette: Source, herald: Source) -> None:
    early = make(gazette, "Flood early", "flood", published=datetime(2026, 11, 1, 23, 59, tzinfo=UTC))
    late = make(gazette, "Flood late", "flood", published=datetime(2026, 11, 20, 0, 0, tzinfo=UTC))
    german = make(herald, "Flood Deutsch", "flood", language="de", published=datetime(2026, 11, 10, tzinfo=UTC))
    make(herald, "Flood pending", "flood", status=Article.Status.PENDING)
    assert set(ids(search("flood"))) == {early.pk, late.pk, german.pk}
    assert set(ids(search("flood", source=gazette.slug))) == {early.pk, late.pk}
    assert ids(search("flood", source="no-such-source")) == []
    assert ids(search("flood", language="de")) == [german.pk]
    assert set(ids(search("flood", since=date(2026, 11, 2)))) == {late.pk, german.pk}
    assert set(ids(search("flood", until=date(2026, 11, 1)))) == {early.pk}
    assert ids(search("flood", since=date(2026, 11, 10), until=date(2026, 11, 10))) == [german.pk]


@pytest.mark.django_db
def test_pages_of_results_and_the_total(gazette: Source) -> None:
    made = [make(gazette, f"Flood report {i}", "flood " * (i + 1)) for i in range(7)]
    first, second = search("flood", limit=4), search("flood", limit=4, offset=4)
    assert first.total == second.total == 7
    assert len(first.results) == 4 and len(second.results) == 3
    assert set(ids(first)) | set(ids(second)) == {a.pk for a in made}
    assert search("flood", offset=50).results == []


@pytest.mark.django_db
def test_snippets_are_html_safe(gazette: Source) -> None:
    hostile = ("Police said <script>alert('flood')</script> and <img src=x onerror=alert(1)> were found near the "
               "flood wall & the \ue000 river \ue001 bank.")
    make(gazette, "Flood <b>wall</b> breached", hostile)
    [hit] = search("flood").results
    assert "&lt;script&gt;" in hit.snippet_html and "<script" not in hit.snippet_html
    assert "<img" not in hit.snippet_html
    assert re.sub(r"</?mark>", "", hit.snippet_html).count("<") == 0
    assert hit.snippet_html.count("<mark>") == hit.snippet_html.count("</mark>") >= 1
    assert hit.article.title == "Flood <b>wall</b> breached"  # the page escapes the title as any other text


HOSTILE = [
    '"unclosed', "AND OR (", "*", "-", '""', "NOT", "OR", "title:flood", "flood NEAR(x y", "^flood", "flood)",
    "'; DROP TABLE articles_article; --", "\x00flood", "flood" * 200, ")))(((", "-flood", "OR flood", "flood OR",
    '"flood" -"council"', "{title text}: flood", "flood AND", "\\", "%s %%", "\ue000flood\ue001", "ünïcödé flood",
]


@pytest.mark.django_db
@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_queries_never_raise(gazette: Source, query: str) -> None:
    make(gazette, "Flood barrier", "The flood barrier holds.")
    page = search(query)
    assert isinstance(page, SearchPage)
    assert page.error is None or not page.results
    assert Article.objects.count() == 1


@pytest.mark.django_db
def test_queries_without_words_say_so(gazette: Source) -> None:
    make(gazette, "Flood barrier", "The flood barrier holds.")
    assert search("   ") == SearchPage("", [], 0, None)
    assert search("*").error == NO_WORDS and search("AND OR (").error == NO_WORDS
    assert search("-flood").error == ONLY_EXCLUDED
    assert ids(search('"flood')) != []  # best effort: an unclosed phrase still searches


@pytest.mark.skipif(not POSTGRES, reason="stop words are PostgreSQL's english configuration")
@pytest.mark.django_db
def test_only_stop_words_on_postgres(gazette: Source) -> None:
    make(gazette, "The barrier", "It is what it is.")
    assert search("the it is").error == COMMON_WORDS


@pytest.mark.django_db
@hyp_settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=st.text(max_size=80))
def test_any_text_is_a_safe_query(gazette: Source, query: str) -> None:
    page = search(query)
    assert page.error is None or not page.results


@pytest.mark.django_db
@hyp_settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=st.text(alphabet='电信網袭击东京の大雨ab -"*OR|%_\\\'', max_size=30))
def test_any_chinese_or_japanese_query_is_safe(gazette: Source, query: str) -> None:
    make(gazette, "新加坡电信遭网络袭击", "东京の大雨。电信 ab 网络袭击。")
    page = search(query)
    assert page.error is None or not page.results


# -- the index follows every write --

def _entry(link: str, title: str) -> FeedEntry:
    return FeedEntry(guid=link, link=link, title=title, author=None, published=datetime(2026, 11, 20, 9, tzinfo=UTC),
                     updated=None, summary="<p>Feed summary about sandbags.</p>", content_html="", categories=(),
                     image=None)


def _extracted(url: str, canonical: str, title: str, text: str) -> ExtractedArticle:
    return ExtractedArticle(url=url, canonical_url=canonical, title=title, author=None, published=None,
                            published_has_time=False, text=text, html=f"<p>{text}</p>", site_name=None,
                            lead_image=None, language="en", description=None, word_count=len(text.split()))


@pytest.mark.django_db(transaction=True)
def test_rekeyed_updated_and_deleted_articles(gazette: Source) -> None:
    feed = create_feed("http://gazette.test/feed.xml", gazette)
    link, canonical = "http://gazette.test/news/1?ref=feed", "http://gazette.test/news/flood-barrier"
    [old_id] = actions.record_entries(feed, [_entry(link, "Pending headline")]).new_ids
    assert search("pending").results == []  # not readable yet

    # re-keyed under the canonical URL: insert + delete, with the extracted text
    outcome = actions.store_extracted(old_id, _extracted(link, canonical, "Barrier approved", "Engineers cheered."),
                                      final_url=link)
    new_id = article_id(canonical)
    assert outcome.article_id == new_id != old_id
    assert ids(search("engineers")) == [new_id] and ids(search("barrier")) == [new_id]
    assert search("pending").results == []

    # updated in place: old words gone, new words found; a change to other columns leaves the index alone
    Article.objects.filter(pk=new_id).update(story=None, word_count=3)
    article = Article.objects.get(pk=new_id)
    article.title, article.text = "Barrier delayed", "Contractors walked off the site."
    article.save()
    assert search("engineers").results == [] and ids(search("contractors")) == [new_id]
    assert ids(search("approved OR delayed")) == [new_id]

    # feed content kept when the page is out of reach
    [other] = actions.record_entries(feed, [_entry("http://gazette.test/news/2", "Sandbag drive")]).new_ids
    actions.keep_feed_content(other, PermanentFetchError("gone"))
    assert ids(search("sandbags")) == [other]

    # deleted articles vanish
    Article.objects.filter(pk=new_id).delete()
    assert search("contractors").results == [] and ids(search("sandbags")) == [other]


@pytest.mark.skipif(not SQLITE, reason="SQLite rebuilds tables to alter them; PostgreSQL alters in place")
@pytest.mark.django_db(transaction=True)
def test_index_heals_after_a_table_rebuild(gazette: Source) -> None:
    kept = make(gazette, "Flood barrier", "The flood barrier holds.")
    gone = make(gazette, "Storm drill", "A storm drill was held.")
    gone.delete()  # a gap in the rowids, renumbered by the rebuild
    with connection.schema_editor() as editor:
        editor._remake_table(Article)  # what a later AlterField on the article table does
    try:
        assert ensure_search_index() is True
        assert ensure_search_index() is False
        assert ids(search("flood")) == [kept.pk]
        fresh = make(gazette, "Harbour storm", "Waves hit the harbour.")
        assert ids(search("harbour")) == [fresh.pk] and search("drill").results == []
    finally:
        ensure_search_index()


def test_chinese_and_japanese_words_are_found_inside_unspaced_text(gazette: Source) -> None:
    # both engines read an unspaced clause as one word: "电信" used to find nothing in "新加坡电信在澳大利亚…"
    telecom = make(gazette, "新加坡电信澳洲子公司遭网络袭击",
                   "新加坡电信在澳大利亚的子公司又遭网络袭击，可能泄露少于二十名客户的数据。Optus没有受到影响。")
    floods = make(gazette, "東京で大雨", "東京で記録的な大雨が降り、多くの電車が止まった。")
    english = make(gazette, "Singtel unit hacked", "A Singtel subsidiary in Australia was hacked, Optus said.")
    assert ids(search("电信")) == [telecom.pk]
    assert ids(search("网络袭击")) == [telecom.pk]
    assert ids(search("電車")) == [floods.pk]
    assert ids(search("新加坡 电信")) == [telecom.pk]  # spaces between Chinese words are the reader's, not the text's
    assert set(ids(search("电信 OR hacked"))) == {telecom.pk, english.pk}
    assert ids(search("optus 电信")) == [telecom.pk]
    assert ids(search("电信 -optus")) == []
    assert ids(search("optus -电信")) == [english.pk]
    assert ids(search("电视")) == []
    (hit,) = search("网络袭击").results
    assert "<mark>网" in hit.snippet_html and "袭击</mark>" in hit.snippet_html

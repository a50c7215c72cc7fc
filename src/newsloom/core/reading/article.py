"""Everything the ingest step computes from one fetched page: the extracted article and its hashtags.

One call, so that an extraction process does both: keyword extraction costs several times what trafilatura does, and
done here it runs in parallel with fetching instead of later, serially, when the article's story is enriched.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import replace

from newsloom.core.language.detect import LanguageDetector
from newsloom.core.language.hashtags import hashtags
from newsloom.core.reading.extract import ExtractedArticle, extract

log = logging.getLogger(__name__)


def read_article(page: bytes | str, *, url: str, charset: str | None = None,
                 detector: LanguageDetector | None = None, exclude: Iterable[str] = ()) -> ExtractedArticle:
    """``extract()`` plus the article's hashtags; ``exclude`` names never to tag (the outlet's own names).
    Raises ExtractionError when the page holds no article."""
    extracted = extract(page, url=url, charset=charset, detector=detector)
    names = [*exclude, *([extracted.site_name] if extracted.site_name else [])]
    try:
        tags = hashtags(extracted.title, extracted.text, language=extracted.language or "en", exclude=names)
    except Exception:  # tags are an extra: a text that trips the tagger keeps its article (enrichment retries)
        log.warning("hashtags failed for %s", url, exc_info=True)
        tags = []
    return replace(extracted, hashtags=tuple(tags))

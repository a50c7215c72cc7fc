"""enrich_story: a story's summary, comparison and hashtags from plain, picklable input."""

from __future__ import annotations

import pickle

from newsloom.core.enrichment.story import StoryInput, enrich_story
from newsloom.core.enrichment.summarize import SourceDoc
from tests.core.enrichment.test_compare import OUTLETS, STORY


def story_input(tagged: int = 1) -> StoryInput:
    """The flood story of test_compare; the first ``tagged`` articles carry their ingest-time hashtags."""
    own = (("riverton", "alder-river", "wire-press"),)
    return StoryInput(
        docs=tuple(SourceDoc(d.id, d.title, d.text, d.source, d.published) for d in STORY),
        compare_docs=tuple(STORY),
        article_tags=tuple(own[0] if i < tagged else () for i in range(len(STORY))),
        languages=tuple("en" for _ in STORY),
    )


def test_the_analysis_cites_its_articles_and_tags_only_what_lacked_tags() -> None:
    story = story_input(tagged=1)
    result = enrich_story(story)
    texts = {doc.id: doc.text for doc in story.docs}
    assert result.summary.sentences and all(s.text in texts[s.article_id] for s in result.summary.sentences)
    assert {c.source for c in result.comparison.sources} == set(OUTLETS)
    assert set(result.new_article_tags) == {doc.id for doc in story.docs[1:]}  # the first kept its own
    assert "riverton" in result.hashtags
    assert not any(tag.startswith("wire-press") for tag in result.hashtags)  # an outlet of the story


def test_input_and_result_cross_process_boundaries() -> None:
    story = story_input()
    assert pickle.loads(pickle.dumps(story)) == story
    result = enrich_story(story)
    assert pickle.loads(pickle.dumps(result)) == result

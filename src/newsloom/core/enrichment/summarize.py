"""Cited extractive story summaries, key points and answers, offline: every sentence verbatim from the article it cites.

:func:`summarize` splits each article into sentences and picks a few by maximal marginal relevance (MMR). Similarity of
two sentences is the mean of their embedding cosine (``embedder``, the shipped static embedding by default) and TF-IDF
cosine. Relevance is a sentence's quality (bylines, photo credits, "Read more", questions, quotes without attribution,
fragments, very short or long sentences pushed down) times a weighted mix of its centrality (similarity to the *other*
outlets' sentences), a lead-position prior, its similarity to the headlines and outlet support. Wire copies
(:func:`newsloom.core.grouping.wirecopies.wire_groups`) are one voice: weight one over the group size, no votes among
copies. MMR skips a candidate too similar to a chosen sentence or saying the same thing. Sentences come out lead
sentences first, then by article (earliest first) and position; a story that is one text (or copies of it) gets its
lead. Key points are short relevant statements the summary does not make (not one of its sentences, nor a copy's
twin of one, nor another outlet's sentence saying the same), preferring those several outlets carry; ``supporting``
lists the other articles with a near-equivalent sentence. The output depends on the set of articles only, never on
their order.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache

import numpy as np

from newsloom.core.grouping.embed import Embedder, EmbedderUnavailable, get_embedder
from newsloom.core.grouping.wirecopies import wire_groups
from newsloom.core.text import cjk_bigrams, has_cjk, normalize_whitespace, split_sentences, tokens, word_count

__all__ = ["CitedSentence", "SourceDoc", "StorySummary", "SummaryConfig", "answer", "summarize"]


@dataclass(frozen=True)
class SourceDoc:
    id: str
    title: str
    text: str
    source: str
    published: datetime | None = None


@dataclass(frozen=True)
class CitedSentence:
    text: str  # verbatim from the cited article's text
    article_id: str
    supporting: tuple[str, ...] = ()  # other articles that carry the same statement


@dataclass(frozen=True)
class StorySummary:
    sentences: tuple[CitedSentence, ...]
    key_points: tuple[CitedSentence, ...]
    headline: CitedSentence | None = None  # the article headline that best stands for the story, verbatim


@dataclass(frozen=True)
class SummaryConfig:
    """Weights and thresholds of the scorer (defaults tuned on the NeuS train split, see evaluation/summarization)."""

    centrality: float = 0.3
    lead: float = 0.15
    title: float = 3.0
    support: float = 0.0
    mmr_lambda: float = 0.7  # relevance vs. novelty
    redundant: float = 0.6  # skip a candidate this similar to a chosen sentence
    same_statement_lexical: float = 0.55  # TF-IDF cosine above which two sentences say the same thing
    same_statement: float = 0.58  # ... or similarity above this with TF-IDF cosine above 0.3
    lead_sentences: int = 3  # lead summary of a single-text story
    key_point_words: int = 30  # key points longer than this are penalised
    max_sentences_per_doc: int = 40
    max_candidates: int = 1500


DEFAULT_CONFIG = SummaryConfig()

_STOPWORDS = frozenset(
    """a about above after again against all also am an and any are aren't as at be because been before being below
    between both but by can could did do does doing down during each few for from further had has have having he her
    here hers herself him himself his how i if in into is isn't it it's its itself just me more most my no nor not now
    of off on once only or other our ours out over own s said same say says she should so some such than that that's
    the their theirs them then there these they this those through to too under until up very was we were what when
    where which while who whom why will with would you your yours""".split()  # noqa: SIM905
)
_BOILERPLATE = re.compile(
    r"^(?:by|photo|photos|image|images|video|credit|source|file|updated|posted|published|advertisement|related|"
    r"read more|read also|see also|watch|listen|sign up|subscribe|click|follow us|share)\b[:|]?|"
    r"\b(?:all rights reserved|getty images|ap photo|afp photo|reuters/|click here|sign up for|subscribe to|"
    r"our newsletter|contributed to this report|this story has been updated|this article (?:was|has been) "
    r"(?:updated|amended)|follow (?:him|her|them|us) on|cookies?|javascript)\b|©|https?://|www\.|@\w",
    re.IGNORECASE,
)
_ATTRIBUTION = re.compile(
    r"\b(?:said|says|say|told|tells|according|stated|states|wrote|writes|added|adds|tweeted|asked|noted|explained|"
    r"argued|declared|announced|insisted|warned|claimed)\b",
    re.IGNORECASE,
)
_DANGLING = re.compile(
    r"^(?:but|and|or|so|also|however|still|yet|he|she|they|it|this|that|these|those|his|her)\b", re.I
)
_OPEN_QUOTES = "\"“‘'«"
_OPINION = re.compile(
    r"^\W*(?:opinion|analysis|editorial|commentary|op-ed|column|review|perspective|view)\b|"
    r"\b(?:opinion|op-ed)\s*[:|]",
    re.IGNORECASE,
)
_INVISIBLE = frozenset("\u200b\u2060\ufeff\u00ad")
_TERMINAL = re.compile(r"[.!…。！｡।॥۔։።][\"'”’»」』）)\]]*$")


def _term(token: str) -> str:
    if token.endswith(("'s", "’s")):
        token = token[:-2]
    if len(token) > 4 and token.endswith("ies"):
        return token[:-3] + "y"
    if len(token) > 3 and token.endswith("s") and not token.endswith(("ss", "us", "is")):
        return token[:-1]
    return token


def content_terms(text: str) -> list[str]:
    """Lower-case content words of ``text``: stop words dropped, plurals and possessives folded; Chinese and Japanese
    runs as character pairs."""
    terms: list[str] = []
    for token in tokens(text):
        if has_cjk(token):
            terms.extend(cjk_bigrams(token))
        elif token not in _STOPWORDS and not (len(token) == 1 and token.isalpha()):
            terms.append(_term(token))
    return terms


def sentence_quality(sentence: str, position: int) -> float:
    """A multiplier in (0, 1]: how fit ``sentence`` is to stand alone in a summary."""
    words = word_count(sentence)
    quality = 1.0
    if _BOILERPLATE.search(sentence):
        quality *= 0.05
    if words < 6:
        quality *= 0.1
    elif words < 9:
        quality *= 0.6
    elif words > 60:
        quality *= 0.35
    elif words > 45:
        quality *= 0.75
    stripped = sentence.rstrip("\"'”’»)] ")
    if stripped.endswith(("?", "？", "؟")):
        quality *= 0.3
    elif stripped.endswith((":", ";", ",")) or not _TERMINAL.search(sentence):
        quality *= 0.5  # a fragment, or a text cut off mid-sentence
    if sentence[:1] in _OPEN_QUOTES and not _ATTRIBUTION.search(sentence):
        quality *= 0.35  # a quote without anyone saying it
    if position > 0 and _DANGLING.match(sentence):
        quality *= 0.75  # leans on the sentence before it
    if sum(c.isupper() for c in sentence) > 0.5 * sum(c.isalpha() for c in sentence):
        quality *= 0.3
    return quality


def headline_quality(title: str) -> float:
    """A multiplier in (0, 1]: how fit ``title`` is to head a neutral story page."""
    quality = 1.0
    if _OPINION.search(title):
        quality *= 0.3
    if title.rstrip("\"'”’ ").endswith(("?", "!", "？", "！", "؟")):
        quality *= 0.5
    if title[:1] in _OPEN_QUOTES or title.count("“") + title.count('"') >= 2:
        quality *= 0.7  # a quote as headline
    words = word_count(title)
    if words < 4 or words > 20:
        quality *= 0.6
    return quality


@lru_cache(maxsize=1)
def _default_embedder() -> Embedder | None:
    try:
        return get_embedder("static")
    except EmbedderUnavailable:
        return None  # lexical similarity only


def verbatim_sentences(text: str) -> list[str]:
    """``split_sentences(text)`` with each sentence cut from ``text`` itself: original spaces and characters kept."""
    kept: list[str] = []
    origin: list[int] = []  # offset in text of every character of the whitespace-normalised copy
    after_space = True
    for offset, char in enumerate(text):
        if char in _INVISIBLE:
            continue
        if char.isspace():
            if after_space:
                continue
            char, after_space = " ", True
        else:
            after_space = False
        kept.append(char)
        origin.append(offset)
    flat = "".join(kept)
    sentences: list[str] = []
    cursor = 0
    for sentence in split_sentences(text):
        at = flat.find(sentence, cursor)
        if at < 0:  # cannot happen while split_sentences only trims and collapses whitespace; never cite a guess
            continue
        cursor = at + len(sentence)
        sentences.append(text[origin[at] : origin[cursor - 1] + 1])
    return sentences


def _sort_key(doc: SourceDoc) -> tuple[bool, datetime, str]:
    published = doc.published
    if published is None:
        return True, datetime.max.replace(tzinfo=UTC), doc.id
    if published.tzinfo is None:
        published = published.replace(tzinfo=UTC)
    return False, published, doc.id


def _tfidf(term_lists: list[list[str]], doc_of: np.ndarray) -> tuple[np.ndarray, dict[str, int], np.ndarray]:
    """L2-normalised TF-IDF rows; IDF counts articles (not sentences) so a story's own topic words weigh less."""
    vocab: dict[str, int] = {}
    for terms in term_lists:
        for term in terms:
            vocab.setdefault(term, len(vocab))
    n_docs = int(doc_of.max(initial=-1)) + 1
    pairs = {(int(doc), vocab[term]) for terms, doc in zip(term_lists, doc_of, strict=True) for term in terms}
    df = np.bincount(np.array([column for _, column in pairs], dtype=np.int64), minlength=len(vocab))
    idf = np.log((1.0 + n_docs) / (1.0 + df)) + 1.0
    matrix = np.zeros((len(term_lists), len(vocab)), dtype=np.float32)
    for row, terms in enumerate(term_lists):
        for term, count in Counter(terms).items():
            matrix[row, vocab[term]] = (1.0 + math.log(count)) * idf[vocab[term]]
    return _normalize(matrix), vocab, idf


def _normalize(matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return np.divide(matrix, norms, out=np.zeros_like(matrix), where=norms > 0)


class _Story:
    """Sentences of a story with their vectors, similarities and wire groups."""

    def __init__(self, docs: Sequence[SourceDoc], embedder: Embedder | None, config: SummaryConfig) -> None:
        self.config = config
        self.docs = sorted(docs, key=_sort_key)
        if len({doc.id for doc in self.docs}) != len(self.docs):
            raise ValueError("duplicate article ids in a story")
        keyed = [(doc.id, _sort_key(doc)[1], doc.text) for doc in self.docs]
        origin = wire_groups(keyed)
        first_of: dict[str, int] = {}
        self.group = np.array([first_of.setdefault(origin[doc.id], len(first_of)) for doc in self.docs], dtype=np.int64)
        self.n_groups = len(first_of)
        sizes = np.bincount(self.group)
        self.doc_weight = 1.0 / sizes[self.group]
        per_doc = max(5, min(config.max_sentences_per_doc, config.max_candidates // max(1, len(self.docs))))
        spans = [
            (i, p, t) for i, doc in enumerate(self.docs) for p, t in enumerate(verbatim_sentences(doc.text)[:per_doc])
        ]
        doc_of, position, texts = [x[0] for x in spans], [x[1] for x in spans], [x[2] for x in spans]
        self.texts = texts  # verbatim, for citing
        self.plain = [normalize_whitespace(t) for t in texts]  # for analysis
        self.doc_of = np.array(doc_of, dtype=np.int64)
        self.position = np.array(position, dtype=np.int64)
        self.quality = np.array([sentence_quality(t, p) for t, p in zip(self.plain, position, strict=True)], np.float32)
        terms = [content_terms(t) for t in self.plain]
        self.lexical, self.vocab, self.idf = _tfidf(terms, self.doc_of)
        self.embedder = embedder
        self.dense = embedder.embed(self.plain) if embedder is not None and texts else None
        self.lex_sim = self.lexical @ self.lexical.T
        self.dense_sim = self.dense @ self.dense.T if self.dense is not None else self.lex_sim
        self.sim = 0.5 * (self.lex_sim + self.dense_sim)
        self.same_group = self.group[self.doc_of][:, None] == self.group[self.doc_of][None, :]
        self.equivalent = self.says_same(self.lex_sim, self.sim) & ~self.same_group
        self._titles = [doc.title for doc in self.docs if doc.title.strip()]

    def __len__(self) -> int:
        return len(self.texts)

    def says_same(self, lexical: np.ndarray, similarity: np.ndarray) -> np.ndarray:
        """Near-equivalent statements: nearly the same words, or close in meaning with a good share of the words."""
        same_words = lexical >= self.config.same_statement_lexical
        return np.asarray(same_words | ((similarity >= self.config.same_statement) & (lexical >= 0.3)))

    def _query_vectors(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray | None]:
        rows = np.zeros((len(texts), len(self.vocab)), dtype=np.float32)
        for row, text in enumerate(texts):
            for term, count in Counter(content_terms(text)).items():
                column = self.vocab.get(term)
                if column is not None:
                    rows[row, column] = (1.0 + math.log(count)) * self.idf[column]
        dense = self.embedder.embed(list(texts)) if self.embedder is not None and self.dense is not None else None
        return _normalize(rows), dense

    def query_similarity(self, texts: Sequence[str]) -> np.ndarray:
        """(len(texts), n) similarity of outside texts (a question, headlines) to the story's sentences."""
        lexical, dense = self._query_vectors(texts)
        similarity = lexical @ self.lexical.T
        return similarity if dense is None or self.dense is None else 0.5 * (similarity + dense @ self.dense.T)

    def headline(self) -> CitedSentence | None:
        """The headline that best stands for the story: closest to the other outlets' headlines and to the story's
        sentences, opinion-flavoured or question headlines pushed down."""
        titled = [d for d, doc in enumerate(self.docs) if doc.title.strip()]
        if not titled or not len(self):
            return None
        texts = [normalize_whitespace(self.docs[d].title) for d in titled]
        lexical, dense = self._query_vectors(texts)
        lex_pair = lexical @ lexical.T
        pair = lex_pair if dense is None else 0.5 * (lex_pair + dense @ dense.T)
        groups = self.group[titled]
        other = groups[:, None] != groups[None, :]
        weights = self.doc_weight[titled][None, :] * other
        to_titles = (pair * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)
        sentence_weights = self.doc_weight[self.doc_of] * self.quality
        to_text = (self.query_similarity(texts) * sentence_weights[None, :]).sum(axis=1) / sentence_weights.sum()
        score = (to_titles + to_text) * np.array([headline_quality(t) for t in texts], dtype=np.float32)
        best = int(np.argmax(score))
        same = self.says_same(lex_pair[best], pair[best])
        supporting = tuple(self.docs[titled[j]].id for j in np.flatnonzero(same) if j != best)
        return CitedSentence(self.docs[titled[best]].title, self.docs[titled[best]].id, supporting)

    def supporting(self, index: int) -> tuple[str, ...]:
        """Other articles carrying a near-equivalent sentence (copies: the same one), in story order."""
        docs = {int(d) for d in self.doc_of[self.equivalent[index]]}
        copies = np.flatnonzero(self.group == self.group[self.doc_of[index]])
        docs.update(int(d) for d in copies if self.texts[index] in self.docs[d].text)
        docs.discard(int(self.doc_of[index]))
        return tuple(self.docs[d].id for d in sorted(docs))

    def cite(self, index: int) -> CitedSentence:
        return CitedSentence(self.texts[index], self.docs[int(self.doc_of[index])].id, self.supporting(index))

    def relevance(self) -> np.ndarray:
        """Quality times the weighted mix of centrality, lead position, headline similarity and outlet support."""
        config = self.config
        n = len(self)
        weights = self.doc_weight[self.doc_of].astype(np.float32)
        centrality = (np.where(self.same_group, 0.0, self.sim) * weights[None, :]).sum(axis=1)
        if self.n_groups == 1:  # one voice: intra-text centrality instead
            centrality = (self.sim * (1.0 - np.eye(n, dtype=np.float32))).sum(axis=1)
        centrality = centrality / centrality.max() if n and centrality.max() > 0 else np.zeros(n, np.float32)
        lead = 1.0 / np.sqrt(1.0 + self.position)
        title = self.query_similarity(self._titles).mean(axis=0) if self._titles and n else np.zeros(n, np.float32)
        title = title / title.max() if n and title.max() > 0 else title
        support_groups = np.array(
            [len({int(self.group[d]) for d in self.doc_of[self.equivalent[i]]}) for i in range(n)], np.float32
        )
        support = support_groups / max(1, self.n_groups - 1)
        mix = config.centrality * centrality + config.lead * lead + config.title * title + config.support * support
        return np.asarray(self.quality * mix, dtype=np.float32)

    def order_key(self, index: int) -> tuple[bool, int, int]:
        return bool(self.position[index] > 0), int(self.doc_of[index]), int(self.position[index])


def _mmr(story: _Story, relevance: np.ndarray, count: int, *, exclude: set[int] | None = None) -> list[int]:
    """Greedy maximal marginal relevance; ties go to the earlier sentence."""
    config = story.config
    chosen: list[int] = []
    pool = [i for i in range(len(story)) if not exclude or i not in exclude]
    top = float(relevance.max()) if len(relevance) else 0.0
    while pool and len(chosen) < count:
        best, best_score = -1, -math.inf
        for i in pool:
            redundancy = max((float(story.sim[i, j]) for j in chosen), default=0.0)
            duplicate = any(story.plain[i] == story.plain[j] or story.equivalent[i, j] for j in chosen)
            if redundancy >= config.redundant or duplicate:
                continue
            score = config.mmr_lambda * float(relevance[i]) / (top or 1.0) - (1 - config.mmr_lambda) * redundancy
            if score > best_score:
                best, best_score = i, score
        if best < 0:
            break
        chosen.append(best)
        pool.remove(best)
    return chosen


def _lead(story: _Story, count: int) -> list[int]:
    """The first sentences of the origin text fit to stand alone (all of them if none is)."""
    first_doc = [i for i in range(len(story)) if story.doc_of[i] == 0]
    fit = [i for i in first_doc if story.quality[i] >= 0.5] or first_doc
    return fit[:count]


def _key_points(story: _Story, relevance: np.ndarray, summary: list[int], count: int) -> list[int]:
    """Short statements the summary does not make: never one of its sentences, its wire copy's twin of one, or
    another outlet's sentence saying the same thing."""
    config = story.config
    words = np.array([word_count(t) for t in story.plain], dtype=np.float32)
    brevity = np.minimum(1.0, config.key_point_words / np.maximum(words, 1.0))
    support = np.array([len(story.supporting(i)) for i in range(len(story))], dtype=np.float32)
    score = relevance * brevity * (1.0 + 0.5 * np.minimum(support, 3))
    said = set(summary) | {int(i) for i in np.flatnonzero(story.quality < 0.25)}  # and no byline or photo credit
    if summary:
        chosen = np.array(summary)
        lexical, similarity = story.lex_sim[:, chosen], story.sim[:, chosen]
        same = story.says_same(lexical, similarity) | (similarity >= config.redundant)
        said.update(int(i) for i in np.flatnonzero(same.any(axis=1)))
        texts = {story.plain[j] for j in summary}
        said.update(i for i, text in enumerate(story.plain) if text in texts)
    return _mmr(story, score, count, exclude=said)


def _story(docs: Sequence[SourceDoc], embedder: Embedder | None, config: SummaryConfig | None) -> _Story | None:
    docs = [doc for doc in docs if doc.text.strip()]
    embedder = embedder if embedder is not None else _default_embedder()
    story = _Story(docs, embedder, config or DEFAULT_CONFIG) if docs else None
    return story if story is not None and len(story) else None


def summarize(
    docs: Sequence[SourceDoc], *, max_sentences: int = 5, embedder: Embedder | None = None,
    config: SummaryConfig | None = None,
) -> StorySummary:  # fmt: skip
    """An extractive summary of at most ``max_sentences`` cited sentences and 3–6 key points for a story.

    ``embedder`` defaults to the shipped static embedding (lexical similarity only if its model file is missing).
    """
    story = _story(docs, embedder, config)
    if story is None or max_sentences < 1:
        return StorySummary((), ())
    config = story.config
    relevance = story.relevance()
    if story.n_groups == 1:
        chosen = _lead(story, min(max_sentences, config.lead_sentences))
    else:
        chosen = _mmr(story, relevance, max_sentences)
    chosen.sort(key=story.order_key)
    points = _key_points(story, relevance, chosen, min(6, max(3, story.n_groups + 1)))
    points.sort(key=lambda i: (-len(story.supporting(i)), *story.order_key(i)))
    return StorySummary(tuple(story.cite(i) for i in chosen), tuple(story.cite(i) for i in points), story.headline())


def answer(
    question: str, docs: Sequence[SourceDoc], *, k: int = 3, embedder: Embedder | None = None,
    config: SummaryConfig | None = None,
) -> tuple[CitedSentence, ...]:  # fmt: skip
    """The ``k`` story sentences that best answer ``question``, most relevant first, each cited (no near-repeats).

    Sentences sharing no content word with the question and not close to it in meaning are never returned.
    """
    story = _story(docs, embedder, config) if k >= 1 and question.strip() else None
    if story is None:
        return ()
    match = story.query_similarity([question])[0]
    lexical_hit = np.array([bool(set(content_terms(question)) & set(content_terms(t))) for t in story.plain])
    relevant = lexical_hit | (match >= 0.5)
    relevance = np.where(relevant, match * (0.5 + 0.5 * story.quality), 0.0).astype(np.float32)
    chosen = [i for i in _mmr(story, relevance, k) if relevance[i] > 0]
    return tuple(story.cite(i) for i in chosen)

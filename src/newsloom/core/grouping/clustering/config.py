"""The streaming clusterer's settings: thresholds, weights and the time model (see ``cluster`` for their meaning)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any


@dataclass
class ClusterConfig:
    """Thresholds, weights and time model; the defaults serve full-text and headline-only streams alike."""

    threshold: float = 0.26  # join the best story at this score or above (for a story of many articles)
    headline_threshold: float = 0.2  # the same for articles without body text (short texts, lower cosines)
    merge_threshold: float = 0.35  # a second story matched this well is merged into the first ...
    merge_affinity: float = 0.15  # ... if the two stories' centroids are at least this similar to each other
    size_relief: float = 0.3  # the threshold against a story of n articles is threshold * (1 - size_relief / n)
    window: timedelta = timedelta(days=365)  # stories idle longer than this are not candidates
    time_scale: timedelta = timedelta(days=7)
    time_exponent: float = 0.2  # kernel (1 + gap / time_scale) ** -time_exponent; 0 disables it
    title_weight: float = 3.0  # term-frequency multiplier of title terms
    lead_weight: float = 1.5  # multiplier of the first lead_chars characters of the body
    lead_chars: int = 600
    body_chars: int = 6000  # text beyond this is ignored
    text_weight: float = 0.75
    entity_weight: float = 0.25
    cross_lingual_weight: float = 0.8
    dense_weight: float = 0.2  # share of the centred dense cosine in the score when vectors are given
    dense_warmup: int = 20  # vectors of a language seen before the dense share reaches dense_weight
    dense_horizon: int = 5000  # the running mean follows roughly this many recent vectors
    embed_chars: int = 1000  # title + this much body is embedded
    max_terms: int = 250  # an article's text vector keeps its top terms only (memory and speed)
    max_vocabulary: int = 300_000  # terms whose document frequency each IDF table keeps (0: all); see StreamingIdf
    index_terms: int = 24  # top terms + entities of an article entered in the candidate index
    max_candidates: int = 64  # stories scored exactly per article
    head_weight: float = 0.6  # title channel: this times cos(title, story's title centroid), full-text articles only
    story_merge: float = 0.4  # after a join, merge the story with a rival whose time-decayed centroid affinity is this
    story_merge_probe: int = 3  # rivals checked: the article's next-best candidate stories ...
    story_merge_floor: float = 0.25  # ... that the article itself scored at least this

    def decay(self, gap_seconds: Any) -> Any:
        """The time kernel ``(1 + gap / time_scale) ** -time_exponent`` of a gap in seconds (a number or an array)."""
        return (1.0 + gap_seconds / self.time_scale.total_seconds()) ** -self.time_exponent

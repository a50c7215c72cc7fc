"""Streaming story clustering: each article joins the story it fits best, or starts one.

``config`` (every tunable, in one dataclass), ``features`` (terms, entities and the streaming IDF), ``story`` (a
story's centroids and how an article scores against them) and ``clusterer`` (``StreamingClusterer``: the decisions).
"""

from newsloom.core.grouping.clustering.clusterer import ClusterDoc, StreamingClusterer
from newsloom.core.grouping.clustering.config import ClusterConfig

__all__ = ["ClusterConfig", "ClusterDoc", "StreamingClusterer"]

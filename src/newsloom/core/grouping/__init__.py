"""Stage 3, grouping: which articles belong together.

``wirecopies`` (one agency text run by several outlets: MinHash/LSH with a containment rule), ``embed`` (dense
vectors: the shipped static model, the optional transformer), ``clustering`` (the streaming story clusterer) and
``related`` (articles a reader may want next, each with its reason).
"""

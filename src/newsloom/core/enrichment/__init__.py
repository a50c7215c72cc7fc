"""Stage 4, enrichment: what a story's readers get beyond its articles.

``summarize`` (the cited extractive summary, key points, answers to a question), ``compare`` (how each source covers
the story), ``llm`` (an optional OpenAI-compatible model, checked against its citations) and ``story``
(``enrich_story``: all of it from plain data, the one call an extraction process runs per story).
"""

"""Stage 2, reading: a fetched page becomes an article.

``extract`` (trafilatura's text with boilerplate pruned, metadata, language), ``pagemeta`` (decoding, dates, JSON-LD,
OpenGraph), ``sanitize`` (the HTML we keep, through nh3) and ``article`` (``read_article``: the page -> article step,
hashtags included, as one call an extraction process runs). Uses ``language``; never the later stages.
"""

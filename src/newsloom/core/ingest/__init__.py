"""Stage 1, ingest: getting publishers' bytes politely and safely.

``fetch`` (the polite HTTP client: conditional GET, caps, per-host limits, robots.txt), ``netguard`` (which addresses
may be fetched), ``robots``, ``hostlimit`` (per-host concurrency and delay, local or shared through Redis),
``polling`` (when to fetch a feed next), ``discover`` (a page's advertised feeds), ``opml`` (subscription lists) and
``feeds`` (feed bytes -> entries: RSS, Atom, JSON Feed). Imports nothing from the later stages.
"""

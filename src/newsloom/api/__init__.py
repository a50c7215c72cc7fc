"""The JSON API v1 (django-ninja) under ``/api/v1/``: stories, articles, search, sources, hashtags and comments.

``v1`` builds the ``NinjaAPI`` from the routers (``stories``, ``articles``, ``catalog``); ``schemas`` holds the
response shapes (they are the OpenAPI document), ``shapes`` fills them from the apps' query results; ``pagination``
turns keyset keys into opaque cursors, ``conditional`` answers with ETags (and 304) from the cheap state queries the
pages use, ``throttle`` is the per-client rate limit, ``errors`` the one error body, and ``middleware`` gzips the
API's responses and gives every error under ``/api/`` that body, Django's own 404, 405 and 500 included.
"""

"""The bundled offline mini-web: fictional publishers served over real HTTP on loopback.

``start_miniweb()`` serves the hand-written demo content (13 publishers, 15 events, wire copies, a broken feed);
``bulk_miniweb()`` serves a large synthetic web for benchmarks. Standard library only (no Django).
"""

from newsloom.demo.bulk import bulk_miniweb
from newsloom.demo.models import DemoArticle, DemoFeed
from newsloom.demo.server import MiniWeb
from newsloom.demo.web import start_miniweb

__all__ = ["DemoArticle", "DemoFeed", "MiniWeb", "bulk_miniweb", "start_miniweb"]

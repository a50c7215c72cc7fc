"""Content-Encoding undone incrementally and within a cap: gzip (every member), deflate (zlib or raw) and brotli.

decoder = ContentDecoder("gzip")
out = decoder.feed(chunk, limit)     # never more than limit + 1 bytes per call, so a bomb stops at the cap
"""

from __future__ import annotations

import zlib
from typing import Any

try:  # brotli is optional: we only advertise "br" when we can decode it
    import brotli as _brotli
except ImportError:  # pragma: no cover - depends on the environment
    _brotli = None

ACCEPT_ENCODING = "gzip, deflate, br" if _brotli is not None else "gzip, deflate"
_GZIP_MAGIC = b"\x1f\x8b"
__all__ = ["ACCEPT_ENCODING", "ContentDecoder"]


class ContentDecoder:
    """One Content-Encoding undone incrementally; never produces more than ``limit + 1`` bytes per call.

    A gzip body may be several members one after the other (RFC 1952 §2.2): each is decoded in turn, all within the
    same cap; bytes after the last member that do not start another one are ignored, as browsers ignore them.
    """

    def __init__(self, encoding: str) -> None:
        self.encoding = encoding
        self._zlib: Any = None
        self._brotli: Any = None
        self._first = True
        self._trailing = False  # past the last gzip member: the rest is padding or junk
        if encoding in ("gzip", "x-gzip"):
            self._zlib = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif encoding == "deflate":
            self._zlib = zlib.decompressobj()
        elif encoding == "br" and _brotli is not None:
            self._brotli = _brotli.Decompressor()

    def feed(self, data: bytes, limit: int) -> bytes:
        if self._zlib is not None:
            try:
                return self._inflate(data, limit)
            except zlib.error:
                if self.encoding == "deflate" and self._first:  # some servers send raw deflate
                    self._zlib, self._first = zlib.decompressobj(-zlib.MAX_WBITS), False
                    return self._inflate(data, limit)
                raise
            finally:
                self._first = False
        if self._brotli is not None:
            out = bytearray()
            for start in range(0, len(data), 256):  # small slices keep each expansion bounded
                out += self._brotli.process(data[start : start + 256])
                if len(out) > limit:
                    break
            return bytes(out)
        return data  # identity, or an encoding we did not ask for: pass it through

    def _inflate(self, data: bytes, limit: int) -> bytes:
        out = bytearray()
        while data and not self._trailing:
            out += self._zlib.decompress(data, limit + 1 - len(out))
            rest = self._zlib.unused_data
            if len(out) > limit or not self._zlib.eof or not rest:
                break
            if self.encoding == "deflate" or not _GZIP_MAGIC.startswith(rest[:2]):
                self._trailing = True
                break
            self._zlib, data = zlib.decompressobj(16 + zlib.MAX_WBITS), rest  # the next gzip member
        return bytes(out)

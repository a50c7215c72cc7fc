"""Draw the installable web app's icons: the favicon's white N on its blue rounded square, as PNGs, in pure Python.

    python scripts/build_icons.py        # writes src/newsloom/web/static/newsloom/icons/*.png

The shapes are those of ``favicon.svg`` (a 32-unit square): the rounded square (corner radius 7) and the N polygon.
Each pixel's coverage is measured on 4 sub-rows with exact horizontal span coverage (anti-aliased edges), the N is
laid over the square, and the PNG is written with zlib. Outputs, as the web app manifest names them:

- ``icon-192.png``, ``icon-512.png``: the rounded square on transparency (purpose "any");
- ``icon-maskable-512.png``: full bleed, the N shrunk into the central safe zone (purpose "maskable");
- ``apple-touch-icon.png`` (180 px): full bleed, iOS rounds the corners itself.
"""

from __future__ import annotations

import math
import struct
import zlib
from collections.abc import Callable
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "src/newsloom/web/static/newsloom/icons"
BLUE = (0x0A, 0x53, 0xC5)
WHITE = (0xFF, 0xFF, 0xFF)
SUB = 4  # sub-rows per pixel row
N_SHAPE = [(8, 24), (8, 8), (11.2, 8), (20.8, 19), (20.8, 8), (24, 8), (24, 24), (20.8, 24), (11.2, 13), (11.2, 24)]
Span = tuple[float, float]


def polygon_spans(points: list[tuple[float, float]], y: float) -> list[Span]:
    """Where the horizontal line at ``y`` is inside ``points`` (even-odd rule)."""
    xs = []
    for (x0, y0), (x1, y1) in zip(points, points[1:] + points[:1], strict=True):
        if (y0 <= y < y1) or (y1 <= y < y0):
            xs.append(x0 + (y - y0) * (x1 - x0) / (y1 - y0))
    xs.sort()
    return [(xs[i], xs[i + 1]) for i in range(0, len(xs) - 1, 2)]


def rounded_square_spans(size: float, radius: float, y: float) -> list[Span]:
    if not 0 <= y < size:
        return []
    if radius <= 0:
        return [(0.0, size)]
    dy = max(radius - y, y - (size - radius), 0.0)
    inset = radius - math.sqrt(max(radius * radius - dy * dy, 0.0))
    return [(inset, size - inset)]


def coverage(width: int, spans_at: Callable[[float], list[Span]]) -> list[list[float]]:
    """Per pixel, the share of it inside the shape whose spans at height y ``spans_at(y)`` gives."""
    rows = []
    for row in range(width):
        cover = [0.0] * width
        for sub in range(SUB):
            for x0, x1 in spans_at(row + (sub + 0.5) / SUB):
                x0, x1 = max(0.0, x0), min(float(width), x1)
                if x1 <= x0:
                    continue
                first, last = int(x0), min(int(x1), width - 1)
                for x in range(first, last + 1):
                    overlap = min(x1, x + 1) - max(x0, x)
                    if overlap > 0:
                        cover[x] += overlap / SUB
        rows.append(cover)
    return rows


def icon(size: int, *, full_bleed: bool, glyph_scale: float = 1.0) -> bytes:
    unit = size / 32
    square = coverage(size, lambda y: rounded_square_spans(size, 0 if full_bleed else 7 * unit, y))
    centre = 16 * unit
    shape = [(centre + (x - 16) * unit * glyph_scale, centre + (y - 16) * unit * glyph_scale) for x, y in N_SHAPE]
    glyph = coverage(size, lambda y: polygon_spans(shape, y))
    raw = bytearray()
    for row in range(size):
        raw.append(0)  # filter: none
        for x in range(size):
            a_bg, a_n = min(square[row][x], 1.0), min(glyph[row][x], 1.0)
            alpha = a_n + a_bg * (1 - a_n)
            if alpha <= 0:
                raw += b"\0\0\0\0"
                continue
            rgb = [round((w * a_n + b * a_bg * (1 - a_n)) / alpha) for w, b in zip(WHITE, BLUE, strict=True)]
            raw += bytes([*rgb, round(alpha * 255)])
    return png(size, size, bytes(raw))


def png(width: int, height: int, scanlines: bytes) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(scanlines, 9))
        + chunk(b"IEND", b"")
    )


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    outputs = {
        "icon-192.png": icon(192, full_bleed=False),
        "icon-512.png": icon(512, full_bleed=False),
        "icon-maskable-512.png": icon(512, full_bleed=True, glyph_scale=0.8),
        "apple-touch-icon.png": icon(180, full_bleed=True, glyph_scale=0.9),
    }
    for name, data in outputs.items():
        (OUT / name).write_bytes(data)
        print(f"{OUT / name}: {len(data)} bytes")


if __name__ == "__main__":
    main()

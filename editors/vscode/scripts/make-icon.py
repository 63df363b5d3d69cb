#!/usr/bin/env python3
"""Draws the extension icon (icon.png, 128x128): a Kubernetes-blue heptagon holding a white page with a
check mark. Pure standard library (zlib + struct), so it runs anywhere Python does; 4x4 supersampling
gives smooth edges. Run: python3 scripts/make-icon.py icon.png"""
import math
import struct
import sys
import zlib

SIZE = 128
SS = 4  # supersampling factor per axis
BLUE = (50, 108, 229)
WHITE = (255, 255, 255)
GREEN = (46, 160, 67)


def heptagon(cx, cy, r):
    return [(cx + r * math.sin(2 * math.pi * i / 7), cy - r * math.cos(2 * math.pi * i / 7)) for i in range(7)]


def inside(poly, x, y):
    hit = False
    j = len(poly) - 1
    for i in range(len(poly)):
        xi, yi = poly[i]
        xj, yj = poly[j]
        if (yi > y) != (yj > y) and x < (xj - xi) * (y - yi) / (yj - yi) + xi:
            hit = not hit
        j = i
    return hit


def near_segment(x, y, a, b, width):
    (ax, ay), (bx, by) = a, b
    dx, dy = bx - ax, by - ay
    t = max(0.0, min(1.0, ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy)))
    px, py = ax + t * dx, ay + t * dy
    return (x - px) ** 2 + (y - py) ** 2 <= (width / 2) ** 2


OUTER = heptagon(64, 66, 62)
# A page with a folded corner.
PAGE = [(40, 28), (78, 28), (90, 40), (90, 100), (40, 100)]
FOLD = [(78, 28), (78, 40), (90, 40)]
CHECK = [((50, 66), (62, 80)), ((62, 80), (82, 52))]
LINES = [((48, 40), (70, 40)), ((48, 50), (80, 50))]


def colour_at(x, y):
    if any(near_segment(x, y, a, b, 8) for a, b in CHECK):
        return GREEN
    if inside(FOLD, x, y):
        return (200, 214, 245)
    if any(near_segment(x, y, a, b, 4) for a, b in LINES):
        return (150, 170, 210)
    if inside(PAGE, x, y):
        return WHITE
    if inside(OUTER, x, y):
        return BLUE
    return None


def render():
    rows = []
    for py in range(SIZE):
        row = bytearray([0])  # filter type: none
        for px in range(SIZE):
            r = g = b = a = 0
            for sy in range(SS):
                for sx in range(SS):
                    c = colour_at(px + (sx + 0.5) / SS, py + (sy + 0.5) / SS)
                    if c:
                        r, g, b, a = r + c[0], g + c[1], b + c[2], a + 1
            if a:
                row += bytes((r // a, g // a, b // a, 255 * a // (SS * SS)))
            else:
                row += bytes(4)
        rows.append(bytes(row))
    return b"".join(rows)


def png(raw):
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", SIZE, SIZE, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


if __name__ == "__main__":
    with open(sys.argv[1] if len(sys.argv) > 1 else "icon.png", "wb") as f:
        f.write(png(render()))

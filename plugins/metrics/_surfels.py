"""Surface elements at voxel corners (the surface-distance definition of Nikolov et al. 2018).

Derived here from the definition [A], not from any implementation:

* A *corner* is a vertex of the voxel grid; a mask of shape ``n`` has ``n + 1`` corners per axis.
  Corner ``c`` sees the 2x2x2 voxels around it (outside the image counts as background); their
  states form an 8-bit *code*, bit ``4a + 2b + c`` for the voxel at offset ``(a, b, c)``.
* A corner is on the surface when its code is neither 0 nor 255.
* Its *area* is the area of the marching-cubes surface inside the cube spanned by those 8 voxel
  centres: polygons through the midpoints of the cube edges whose two ends differ. On a face
  whose four voxels alternate (two diagonal inside), the inside voxels are cut off separately.
  A polygon's area is the length of its vector area (1/2 sum of v_i x v_(i+1)), computed with
  the voxel spacing: exact for the planar polygons (triangles, rectangles, squares, regular
  hexagons); for the few non-planar ones it is the area of the polygon projected on its mean
  plane, which does not depend on how a polygon would be split into triangles.
"""

from __future__ import annotations

import itertools
from functools import lru_cache

import numpy as np

_CORNERS: tuple[tuple[int, int, int], ...] = tuple(itertools.product((0, 1), repeat=3))
"""Cube vertex offsets; vertex ``i`` (bit ``1 << i``) is ``_CORNERS[i]`` = (a, b, c) with i = 4a+2b+c."""

@lru_cache(maxsize=1)
def _face_cycles() -> tuple[tuple[int, int, int, int], ...]:
    """The six cube faces, each as its four vertex indices in cyclic order."""
    faces = []
    for axis in range(3):
        others = [k for k in range(3) if k != axis]
        for side in (0, 1):
            cycle = []
            for p, q in ((0, 0), (1, 0), (1, 1), (0, 1)):
                v = [0, 0, 0]
                v[axis], v[others[0]], v[others[1]] = side, p, q
                cycle.append(_CORNERS.index(tuple(v)))
            faces.append(tuple(cycle))
    return tuple(faces)


def polygons(code: int) -> list[np.ndarray]:
    """Marching-cubes polygons of one corner code, as arrays of vertices in unit-cube coordinates."""
    inside = [(code >> i) & 1 for i in range(8)]
    neighbours: dict[tuple[int, int], list[tuple[int, int]]] = {}

    def edge(u: int, v: int) -> tuple[int, int]:
        return (min(u, v), max(u, v))

    def link(e1: tuple[int, int], e2: tuple[int, int]) -> None:
        neighbours.setdefault(e1, []).append(e2)
        neighbours.setdefault(e2, []).append(e1)

    for cycle in _face_cycles():
        crossed = [edge(cycle[i], cycle[(i + 1) % 4]) for i in range(4) if inside[cycle[i]] != inside[cycle[(i + 1) % 4]]]
        if len(crossed) == 2:
            link(crossed[0], crossed[1])
        elif len(crossed) == 4:
            # alternating face: cut each inside vertex off on its own
            for i in range(4):
                if inside[cycle[i]]:
                    link(edge(cycle[i - 1], cycle[i]), edge(cycle[i], cycle[(i + 1) % 4]))
    result = []
    unused = set(neighbours)
    while unused:
        start = min(unused)
        loop, previous, current = [start], None, start
        unused.discard(start)
        while True:
            a, b = neighbours[current]
            nxt = b if a == previous else a
            if nxt == start:
                break
            loop.append(nxt)
            unused.discard(nxt)
            previous, current = current, nxt
        result.append(np.array([(np.add(_CORNERS[u], _CORNERS[v])) / 2.0 for u, v in loop]))
    return result


def polygon_area(vertices: np.ndarray, spacing: tuple[float, float, float]) -> float:
    """Length of the vector area of a closed polygon after scaling by ``spacing``."""
    v = vertices * np.asarray(spacing, dtype=np.float64)
    return float(np.linalg.norm(0.5 * np.cross(v, np.roll(v, -1, axis=0)).sum(axis=0)))


@lru_cache(maxsize=32)
def area_table(spacing: tuple[float, float, float]) -> np.ndarray:
    """Surface area for each of the 256 corner codes with this voxel spacing (0 for 0 and 255)."""
    return np.array([sum(polygon_area(poly, spacing) for poly in polygons(code)) for code in range(256)])


def corner_codes(mask: np.ndarray) -> np.ndarray:
    """uint8 code of every corner of a 3-D mask: shape ``mask.shape + 1`` per axis."""
    padded = np.pad(np.asarray(mask, dtype=bool), 1)
    n = tuple(s - 1 for s in padded.shape)
    codes = np.zeros(n, dtype=np.uint8)
    for i, (a, b, c) in enumerate(_CORNERS):
        codes |= padded[a : a + n[0], b : b + n[1], c : c + n[2]].view(np.uint8) << np.uint8(i)
    return codes

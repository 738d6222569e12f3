"""Showing results in a chapter: aligned text tables and numbers for the prose."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np


def table(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """A plain-text table with aligned columns, for ``print``.

    Floats are shown with 3 decimals; everything else with ``str``.

    Example:
        >>> print(table(["loss", "test acc"], [["BCE", 0.852]]))
    """
    if any(len(row) != len(header) for row in rows):
        raise ValueError(f"every row needs {len(header)} cells, one per column of {list(header)}.")
    cells = [[f"{c:.3f}" if isinstance(c, float) else str(c) for c in row] for row in rows]
    widths = [max(len(str(h)), *(len(r[i]) for r in cells)) for i, h in enumerate(header)]
    line = lambda values: "  ".join(str(v).ljust(w) for v, w in zip(values, widths)).rstrip()
    return "\n".join([line(header), line("-" * w for w in widths)] + [line(r) for r in cells])


def glue(name: str, value: Any) -> None:
    """Make ``value`` quotable in the chapter's prose as ``{glue:text}`name```.

    Floats are rounded to 4 decimals, so the stored value does not depend on
    the last bits of floating-point rounding. Uses myst-nb's ``glue`` (the book build reads it from the stored output);
    where myst-nb is not installed, as on a hosted notebook service, it does
    nothing, since the value is printed by the cell anyway.

    Example:
        >>> glue("test_accuracy", 0.852)
    """
    if isinstance(value, (float, np.floating)):
        value = round(float(value), 4)  # 4 decimals: the prose shows at most 3
    elif isinstance(value, np.integer):
        value = int(value)
    try:
        from myst_nb import glue as myst_glue
    except ImportError:
        return
    myst_glue(name, value, display=False)

"""Showing results in a chapter: tables and numbers for the prose."""

from __future__ import annotations

import html
import importlib.util
from collections.abc import Sequence
from typing import Any

import numpy as np


class Table(str):
    """A results table: aligned plain text, and an HTML table in a notebook.

    It is a ``str`` (the text), so ``print(table(...))`` prints the text and
    string operations work; as the last expression of a notebook cell it is
    shown as an HTML table (with the text as the plain fallback), which the
    book renders as a real table that wraps instead of scrolling.
    """

    header: list[str]
    cells: list[list[str]]

    def __new__(cls, text: str, header: list[str], cells: list[list[str]]):
        obj = super().__new__(cls, text)
        obj.header, obj.cells = header, cells
        return obj

    def __repr__(self) -> str:
        return str(self)

    def _repr_pretty_(self, p, cycle) -> None:
        p.text(str(self))

    def _repr_html_(self) -> str:
        head = "".join(f"<th>{html.escape(h)}</th>" for h in self.header)
        body = "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>"
                       for row in self.cells)
        return (f'<table class="losslab-table"><thead><tr>{head}</tr></thead>'
                f"<tbody>{body}</tbody></table>")


def _cell(value: Any) -> str:
    if isinstance(value, (float, np.floating)):
        return f"{float(value):.3f}"
    return str(value)


def table(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> Table:
    """A table with aligned columns: ``print`` it, or end a cell with it for HTML.

    Floats (Python's and NumPy's) are shown with 3 decimals; everything else
    with ``str``.

    Example:
        >>> print(table(["loss", "test acc"], [["BCE", 0.852]]))
        loss  test acc
        ----  --------
        BCE   0.852
    """
    if any(len(row) != len(header) for row in rows):
        raise ValueError(f"every row needs {len(header)} cells, one per column of {list(header)}.")
    header = [str(h) for h in header]
    cells = [[_cell(c) for c in row] for row in rows]
    widths = [max(len(h), *(len(r[i]) for r in cells)) for i, h in enumerate(header)]

    def line(values) -> str:
        return "  ".join(str(v).ljust(w) for v, w in zip(values, widths)).rstrip()

    text = "\n".join([line(header), line("-" * w for w in widths)] + [line(r) for r in cells])
    return Table(text, header, cells)


def difference(value: float, floor: float = 1e-6) -> str:
    """A largest difference between two computations, as text that reproduces.

    Differences below ``floor`` are float32 rounding: their digits change with
    the CPU and the order of a sum, so they are shown as ``< 1e-06`` (and an
    exact zero as ``0``). Larger ones get two significant digits below 0.001,
    three from there.

    Example:
        >>> difference(3.2e-8), difference(0.0), difference(2.5e-5), difference(0.1042)
        ('< 1e-06', '0', '2.5e-05', '0.104')
    """
    value = float(value)
    if not np.isfinite(value) or value < 0:
        raise ValueError(f"a difference is a finite number >= 0, e.g. np.abs(a - b).max(); got {value!r}.")
    if value == 0:
        return "0"
    if value < floor:
        return f"< {floor:.0e}"
    return f"{value:.2g}" if value < 1e-3 else f"{value:.3g}"


GLUE_PREFIX = "application/papermill.record/"
"""The mime-type prefix under which myst-nb's glue stores a value in a notebook's outputs."""


def glue(name: str, value: Any) -> None:
    """Make ``value`` quotable in the chapter's prose as ``{glue:text}`name```.

    Floats are rounded to 4 decimals, so the stored value does not depend on
    the last bits of floating-point rounding. The output is exactly what
    myst-nb's ``glue(name, value, display=False)`` writes (the book build reads
    it from the stored output), made without importing myst-nb, which takes
    seconds. Where myst-nb is not installed, as on a hosted notebook service,
    or outside a notebook, it does nothing: the cell prints the value anyway.

    Example:
        >>> glue("test_accuracy", 0.852)
    """
    if isinstance(value, (float, np.floating)):
        value = round(float(value), 4)  # 4 decimals: the prose shows at most 3
    elif isinstance(value, np.integer):
        value = int(value)
    if importlib.util.find_spec("myst_nb") is None:
        return
    from IPython import get_ipython
    from IPython.core.formatters import format_display_data
    from IPython.display import display

    if get_ipython() is None:
        return
    bundle, metadata = format_display_data(value)
    metadata["scrapbook"] = {"name": name, "mime_prefix": GLUE_PREFIX}
    display({GLUE_PREFIX + k: v for k, v in bundle.items()}, raw=True, metadata=metadata)

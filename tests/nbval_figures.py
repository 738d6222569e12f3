"""A pytest plugin: nbval compares the chapters' figures too.

nbval compares text, HTML and SVG outputs exactly but skips PNG images, so a
stored figure could differ from what the code draws today while every test
passes. With this plugin (``pytest -p nbval_figures --nbval ...``, as
``make nbval`` runs it), a cell whose outputs match as text must also draw
the same figures: the same number of PNGs, each of the same size, with pixels
that differ from the stored ones by a root mean square of at most
:data:`TOLERANCE` (on a 0-255 scale).

The tolerance absorbs what float rounding can move (a curve shifted by a
fraction of a pixel redraws a few anti-aliased pixels); a changed colour,
line, marker, axis range or label moves far more, and fails.
"""

from __future__ import annotations

import base64
import io

import numpy as np
from PIL import Image

TOLERANCE = 1.0
"""Largest root-mean-square pixel difference (0-255 scale) between a stored and a new figure."""


def _pixels(png_base64: str) -> np.ndarray:
    data = base64.b64decode(png_base64.strip() if isinstance(png_base64, str) else "".join(png_base64))
    with Image.open(io.BytesIO(data)) as image:
        return np.asarray(image.convert("RGBA"), dtype=np.float64)


def _pngs(outputs) -> list[str]:
    return [out["data"]["image/png"] for out in outputs if "image/png" in out.get("data", {})]


def figure_difference(stored: str, new: str) -> float:
    """Root-mean-square pixel difference between two base64 PNGs (``inf`` if their sizes differ)."""
    a, b = _pixels(stored), _pixels(new)
    if a.shape != b.shape:
        return float("inf")
    return float(np.sqrt(np.mean((a - b) ** 2)))


def compare_figures(stored_outputs, new_outputs, tolerance: float = TOLERANCE) -> list[str]:
    """What differs between the figures of two lists of cell outputs (empty when they match)."""
    stored, new = _pngs(stored_outputs), _pngs(new_outputs)
    if len(stored) != len(new):
        return [f"the cell drew {len(new)} figure(s); the stored notebook has {len(stored)}"]
    problems = []
    for i, (a, b) in enumerate(zip(stored, new), start=1):
        rms = figure_difference(a, b)
        if rms > tolerance:
            what = "a different size" if rms == float("inf") else f"pixels differ by RMS {rms:.2f} > {tolerance}"
            problems.append(f"figure {i} of the cell differs from the stored one: {what}")
    return problems


def pytest_configure(config):
    from nbval.plugin import IPyNbCell

    if getattr(IPyNbCell, "_compares_figures", False):
        return
    text_compare = IPyNbCell.compare_outputs

    def compare_outputs(self, test, ref, skip_compare=None):
        if not text_compare(self, test, ref, skip_compare):
            return False
        problems = compare_figures(ref, test)
        if problems:
            self.comparison_traceback.extend(
                problems + ["re-execute the chapter (make outputs NB=...) if the change is intended"]
            )
            return False
        return True

    IPyNbCell.compare_outputs = compare_outputs
    IPyNbCell._compares_figures = True

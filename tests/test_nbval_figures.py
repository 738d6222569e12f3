"""The nbval plugin that compares figures: float noise passes, a changed plot fails."""

import base64
import io

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from nbval_figures import TOLERANCE, compare_figures, figure_difference  # noqa: E402

X = np.linspace(0, 1, 200)


def _figure(y, color="#0072B2", size=(6, 4)) -> dict:
    """A cell output holding one figure, as the inline backend stores it."""
    fig, ax = plt.subplots(figsize=size)
    ax.plot(X, y, color=color)
    ax.set_ylim(-1.2, 1.2)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    plt.close(fig)
    return {"output_type": "display_data", "data": {"image/png": base64.b64encode(buffer.getvalue()).decode()}}


CURVE = np.sin(6 * X)


def test_the_same_figure_matches_exactly():
    assert figure_difference(_figure(CURVE)["data"]["image/png"], _figure(CURVE)["data"]["image/png"]) == 0.0
    assert compare_figures([_figure(CURVE)], [_figure(CURVE)]) == []


def test_float_rounding_in_the_data_passes():
    nudged = CURVE * (1 + 1e-5)
    rms = figure_difference(_figure(CURVE)["data"]["image/png"], _figure(nudged)["data"]["image/png"])
    assert rms <= TOLERANCE
    assert compare_figures([_figure(CURVE)], [_figure(nudged)]) == []


def test_a_changed_colour_fails():
    problems = compare_figures([_figure(CURVE)], [_figure(CURVE, color="#D55E00")])
    assert len(problems) == 1 and "pixels differ by RMS" in problems[0]


def test_a_changed_curve_fails():
    assert compare_figures([_figure(CURVE)], [_figure(np.sin(6 * X + 0.2))])


def test_a_different_size_or_count_fails():
    assert "a different size" in compare_figures([_figure(CURVE)], [_figure(CURVE, size=(6, 5))])[0]
    assert "drew 2 figure(s)" in compare_figures([_figure(CURVE)], [_figure(CURVE), _figure(CURVE)])[0]
    assert "drew 0 figure(s)" in compare_figures([_figure(CURVE)], [{"output_type": "stream", "text": "hi"}])[0]

"""losslab.report formats tables and rounds glued numbers."""

import numpy as np
import pytest

from losslab import report


def test_table_aligns_columns_and_formats_floats():
    text = report.table(["loss", "acc"], [["binary cross-entropy", 0.85], ["hinge", np.float64(0.8)]])
    lines = text.splitlines()
    assert lines[0].startswith("loss") and lines[1].startswith("----")
    assert lines[2] == "binary cross-entropy  0.850"
    assert lines[3] == "hinge                 0.800"


def test_table_rejects_ragged_rows():
    with pytest.raises(ValueError, match="every row needs 2 cells"):
        report.table(["a", "b"], [[1]])


def test_glue_writes_what_myst_nb_glue_writes(monkeypatch):
    """Same output as myst_nb.glue(display=False), with the value rounded to plain types."""
    import IPython
    import IPython.display
    from myst_nb import glue as myst_glue

    shown = []
    monkeypatch.setattr(IPython, "get_ipython", lambda: object())
    monkeypatch.setattr(IPython.display, "display", lambda *a, **k: shown.append((a, k)))
    monkeypatch.setattr("myst_nb.ext.glue.ipy_display", lambda *a, **k: shown.append((a, k)))
    report.glue("x", np.float64(0.84500000001))
    myst_glue("x", 0.845, display=False)
    report.glue("n", np.int64(3))
    myst_glue("n", 3, display=False)
    assert shown[0] == shown[1] and shown[2] == shown[3]
    assert shown[0][0][0] == {"application/papermill.record/text/plain": "0.845"}
    assert shown[2][0][0] == {"application/papermill.record/text/plain": "3"}


def test_glue_outside_a_notebook_does_nothing(capsys):
    report.glue("x", 1.0)
    assert capsys.readouterr().out == ""


def test_numpy_float32_gets_three_decimals_like_any_float():
    text = report.table(["a", "b"], [[np.float32(0.8512345), 0.1]])
    assert text.splitlines()[2] == "0.851  0.100"


def test_table_is_text_for_print_and_html_in_a_notebook():
    t = report.table(["loss", "acc <%>"], [["BCE", 0.85]])
    assert isinstance(t, str) and repr(t) == str(t)
    html = t._repr_html_()
    assert html.startswith('<table class="losslab-table">')
    assert "<th>acc &lt;%&gt;</th>" in html and "<td>0.850</td>" in html

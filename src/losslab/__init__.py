"""losslab: the helper package of the course book *Choosing a loss function*.

Modules, one concern each:

- :mod:`losslab.data`      the book's datasets (regression, circles, blobs, XOR)
- :mod:`losslab.losses`    numpy reference losses and their gradients
- :mod:`losslab.metrics`   metrics Keras lacks (sign accuracy for -1/1 labels)
- :mod:`losslab.calibration` calibration of probabilities: ECE, Brier, Platt scaling, prior correction
- :mod:`losslab.models`    builder for the small MLPs of the book
- :mod:`losslab.training`  a compiled ``fit``: Keras's own updates, one graph call
- :mod:`losslab.runs`      many seeds of any model, one run after another
- :mod:`losslab.sweep`     a grid of seeds x learning rates of a Dense network, all at once
- :mod:`losslab.member_updates` Keras's optimizer updates with a member axis (for sweep)
- :mod:`losslab.sweep_support` which models, losses and metrics a sweep can stack
- :mod:`losslab.protocol`  the fair comparison: tune each contender's rate, early stopping
- :mod:`losslab.stats`     verdicts from intervals: paired and Welch t, Wilson, Newcombe
- :mod:`losslab.plots`     learning curves, loss curves, decision boundaries
- :mod:`losslab.report`    tables, differences and numbers for the prose (glue)
- :mod:`losslab.exercises` self-checks for the exercises: ``check(label, answer)``
- :mod:`losslab.quiz`      each chapter's multiple-choice quiz, shown as plain HTML

For instructors: :mod:`losslab.grade` grades submitted notebooks
(``python -m losslab.grade SUBMISSIONS``), each run by :mod:`losslab.grade_run`
inside a bubblewrap sandbox (:mod:`losslab.sandbox`); :mod:`losslab.gradescope`
packages the same grading as Gradescope autograders. The student edition is
built from a checkout of the book by ``tools/student_edition.py`` (``make student``).

Importing ``losslab`` is cheap: it imports neither TensorFlow nor Keras. The
modules that need Keras import it when they are imported themselves.
"""

from losslab.seed import set_seed

__all__ = ["set_seed"]
__version__ = "0.1.0"

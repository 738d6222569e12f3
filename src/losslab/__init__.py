"""losslab: the helper package of the course book *Choosing a loss function*.

Modules, one concern each:

- :mod:`losslab.data`      the book's datasets (regression, circles, blobs, XOR)
- :mod:`losslab.losses`    numpy reference losses and their gradients
- :mod:`losslab.metrics`   metrics Keras lacks (sign accuracy for -1/1 labels)
- :mod:`losslab.calibration` calibration of probabilities: ECE, Brier, Platt scaling, prior correction
- :mod:`losslab.models`    builder for the small MLPs of the book
- :mod:`losslab.training`  a compiled ``fit`` and multi-seed experiments
- :mod:`losslab.plots`     learning curves, loss curves, decision boundaries
- :mod:`losslab.report`    text tables and numbers for the prose (glue)
- :mod:`losslab.exercises` self-checks for the exercises: ``check(label, answer)``
- :mod:`losslab.quiz`      each chapter's multiple-choice quiz, shown as plain HTML

For instructors: :mod:`losslab.student` writes the student edition
(``python -m losslab.student``) and :mod:`losslab.grade` grades submitted
notebooks (``python -m losslab.grade SUBMISSIONS``).

Importing ``losslab`` is cheap: it imports neither TensorFlow nor Keras. The
modules that need Keras import it when they are imported themselves.
"""

from losslab.seed import set_seed

__all__ = ["set_seed"]
__version__ = "0.1.0"

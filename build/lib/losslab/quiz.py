"""Multiple-choice quizzes that work offline, in Jupyter and in the HTML book.

A chapter's quiz is data: ``chapters/quizzes/<chapter>.yml`` (installed with the
package as ``losslab.quizzes``), a list of questions, each with options, exactly
one of them correct, and an explanation for every option::

    title: Check your understanding
    questions:
      - question: What does the loss measure?
        options:
          - text: How wrong the predictions are
            correct: true
            why: ...
          - text: ...
            why: ...

``show(chapter)`` returns a :class:`Quiz`. In a notebook it displays as plain
HTML: every option is a ``<details>`` element, so clicking it reveals whether it
is right and why, with no JavaScript, no network and nothing random in the
stored output.
"""

from __future__ import annotations

import html
import importlib.resources
import re
from dataclasses import dataclass

import yaml

__all__ = ["Option", "Question", "Quiz", "load", "show"]

LETTERS = "ABCDEFGH"


@dataclass(frozen=True)
class Option:
    text: str
    correct: bool
    why: str


@dataclass(frozen=True)
class Question:
    question: str
    options: tuple[Option, ...]


def _inline(text: str) -> str:
    """Escape text for HTML, turning `code` into <code>code</code>."""
    return re.sub(r"`([^`]+)`", r"<code>\1</code>", html.escape(text, quote=False))


@dataclass(frozen=True)
class Quiz:
    """A chapter's quiz; displays itself as HTML in a notebook or the book."""

    name: str
    title: str
    questions: tuple[Question, ...]

    def __repr__(self) -> str:
        lines = [f"{self.title} ({len(self.questions)} questions; open an option to see if it is right)"]
        for n, q in enumerate(self.questions, 1):
            lines.append(f"{n}. {q.question}")
            lines += [f"   {LETTERS[i]}. {o.text}" for i, o in enumerate(q.options)]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        parts = [f'<div class="losslab-quiz" id="quiz-{self.name}">',
                 f"<p><strong>{_inline(self.title)}</strong> Click an answer to see whether it is right, "
                 "and why.</p>"]
        for n, q in enumerate(self.questions, 1):
            parts.append('<div class="losslab-quiz-question" style="margin: 0.8em 0;">')
            parts.append(f"<p><strong>{n}.</strong> {_inline(q.question)}</p>")
            for i, o in enumerate(q.options):
                verdict = "Right." if o.correct else "Not quite."
                mark = "&#10004;" if o.correct else "&#10008;"
                parts.append(
                    f'<details class="losslab-quiz-option" data-correct="{str(o.correct).lower()}" '
                    'style="margin: 0.25em 0 0.25em 1.2em; cursor: pointer;">'
                    f"<summary>{LETTERS[i]}. {_inline(o.text)}</summary>"
                    f'<p class="losslab-quiz-feedback" style="margin: 0.3em 0 0.5em 1.2em;">'
                    f"<strong>{mark} {verdict}</strong> {_inline(o.why)}</p></details>")
            parts.append("</div>")
        parts.append("</div>")
        return "\n".join(parts)

    def answers(self) -> str:
        """Every question with its right answer and explanation, as text."""
        lines = []
        for n, q in enumerate(self.questions, 1):
            right = next(i for i, o in enumerate(q.options) if o.correct)
            lines.append(f"{n}. {LETTERS[right]}. {q.options[right].text}: {q.options[right].why}")
        return "\n".join(lines)


def _parse(name: str, data: object) -> Quiz:
    """Build a Quiz from parsed YAML, with errors that say what to fix in the file."""
    where = f"quiz {name!r}"
    if not isinstance(data, dict) or not isinstance(data.get("questions"), list) or not data["questions"]:
        raise ValueError(f"{where}: expected a mapping with a non-empty list under 'questions'.")
    questions = []
    for n, q in enumerate(data["questions"], 1):
        if not isinstance(q, dict) or not isinstance(q.get("question"), str) or not isinstance(q.get("options"), list):
            raise ValueError(f"{where}, question {n}: needs 'question' (text) and 'options' (a list).")
        options = []
        for i, o in enumerate(q["options"]):
            if not isinstance(o, dict) or o.get("text") is None or o.get("why") is None:
                raise ValueError(f"{where}, question {n}, option {i + 1}: needs 'text' and 'why' "
                                 "(the explanation shown when it is picked).")
            if not isinstance(o["text"], str) or not isinstance(o["why"], str):
                raise ValueError(f"{where}, question {n}, option {i + 1}: 'text' and 'why' must be text; "
                                 "put quotes around values such as yes, no, on, off or numbers.")
            if not o["text"].strip() or not o["why"].strip():
                raise ValueError(f"{where}, question {n}, option {i + 1}: 'text' and 'why' must not be empty.")
            options.append(Option(str(o["text"]), bool(o.get("correct", False)), str(o["why"])))
        if not 2 <= len(options) <= len(LETTERS):
            raise ValueError(f"{where}, question {n}: has {len(options)} options; give 2 to {len(LETTERS)}.")
        if sum(o.correct for o in options) != 1:
            raise ValueError(f"{where}, question {n}: mark exactly one option 'correct: true'; "
                             f"found {sum(o.correct for o in options)}.")
        questions.append(Question(q["question"], tuple(options)))
    return Quiz(name, str(data.get("title", "Quiz")), tuple(questions))


def load(chapter: str) -> Quiz:
    """Load a chapter's quiz from the data installed with losslab.

    Args:
        chapter: the chapter's notebook name without ``.ipynb``, e.g. ``"binary_classification"``.

    Example:
        >>> load("intro").questions[0].question
    """
    files = importlib.resources.files("losslab.quizzes")
    available = sorted(p.name[:-4] for p in files.iterdir() if p.name.endswith(".yml"))
    if chapter not in available:
        raise ValueError(f"there is no quiz called {chapter!r}; the quizzes are {', '.join(available)}.")
    return _parse(chapter, yaml.safe_load((files / f"{chapter}.yml").read_text(encoding="utf-8")))


def show(chapter: str) -> Quiz:
    """The chapter's quiz, ready to display as the last expression of a cell.

    Example:
        >>> show("binary_classification")
    """
    return load(chapter)

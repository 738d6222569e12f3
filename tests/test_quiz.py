"""losslab.quiz: every chapter has a quiz; each renders the same way every time, with feedback per option."""

import json
import pathlib
import re

import pytest

from losslab import quiz

ROOT = pathlib.Path(__file__).resolve().parents[1]
CHAPTERS = sorted(p.stem for p in (ROOT / "chapters").glob("*.ipynb"))

SEED_QUESTIONS = [  # the five questions of the cross-entropy blog post, in the binary chapter's quiz
    "What is the purpose of cross-entropy loss in machine learning?",
    "What type of problem is cross-entropy loss best suited for?",
    "How does cross-entropy compare with mean squared error",
    "What is the relationship between cross-entropy loss and log-likelihood?",
    "How does cross-entropy loss help to prevent overfitting?",
]


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_every_chapter_has_a_quiz_of_five_questions_with_every_option_explained(chapter):
    q = quiz.load(chapter)
    assert len(q.questions) >= 5
    for question in q.questions:
        assert sum(o.correct for o in question.options) == 1
        assert all(len(o.why) > 20 for o in question.options)


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_every_chapter_notebook_shows_its_quiz(chapter):
    cells = json.loads((ROOT / "chapters" / f"{chapter}.ipynb").read_text(encoding="utf-8"))["cells"]
    sources = ["".join(c["source"]) for c in cells if c["cell_type"] == "code"]
    assert any(f'quiz.show("{chapter}")' in s for s in sources)


def test_binary_quiz_answers_the_five_questions_of_the_source():
    questions = [q.question for q in quiz.load("binary_classification").questions]
    for wanted in SEED_QUESTIONS:
        assert any(q.startswith(wanted) for q in questions), wanted
    overfitting = next(q for q in quiz.load("binary_classification").questions if "overfitting" in q.question)
    right = next(o for o in overfitting.options if o.correct)
    assert right.text.startswith("It does not")


def test_html_is_deterministic_and_gives_feedback_per_option():
    first, second = quiz.show("intro")._repr_html_(), quiz.show("intro")._repr_html_()
    assert first == second
    assert re.findall(r'id="([^"]+)"', first) == ["quiz-intro"]  # no generated ids
    options = sum(len(q.options) for q in quiz.load("intro").questions)
    assert first.count("<details") == options and first.count("<summary>") == options
    assert first.count('data-correct="true"') == len(quiz.load("intro").questions)
    assert "<script" not in first and "http" not in first  # works offline, without JavaScript


def test_right_answers_are_not_always_in_the_same_place():
    positions = {[o.correct for o in q.options].index(True)
                 for chapter in CHAPTERS for q in quiz.load(chapter).questions}
    assert positions == {0, 1, 2, 3}


def test_text_is_escaped_and_code_marked_up():
    rendered = quiz._parse("t", {"questions": [{"question": "Is `a < b`?", "options": [
        {"text": "<b>yes</b>", "correct": True, "why": "because"},
        {"text": "no", "why": "because not"}]}]})._repr_html_()
    assert "<code>a &lt; b</code>" in rendered and "&lt;b&gt;yes&lt;/b&gt;" in rendered


@pytest.mark.parametrize("data, message", [
    ({"questions": []}, "non-empty list"),
    ({"questions": [{"question": "q", "options": [{"text": "a", "why": "w"}, {"text": "b", "why": "w"}]}]},
     "exactly one option"),
    ({"questions": [{"question": "q", "options": [{"text": "a", "correct": True}, {"text": "b", "why": "w"}]}]},
     "needs 'text' and 'why'"),
    ({"questions": [{"question": "q", "options": [{"text": False, "correct": True, "why": "w"},
                                                    {"text": "b", "why": "w"}]}]}, "put quotes"),
])
def test_malformed_quiz_data_says_what_to_fix(data, message):
    with pytest.raises(ValueError, match=message):
        quiz._parse("t", data)


def test_unknown_quiz_lists_the_quizzes():
    with pytest.raises(ValueError, match="binary_classification"):
        quiz.load("no-such-chapter")


def test_answer_key_lists_the_right_option_of_every_question():
    q = quiz.load("xor")
    key = q.answers().splitlines()
    assert len(key) == len(q.questions)
    for line, question in zip(key, q.questions):
        right = next(o for o in question.options if o.correct)
        assert right.text in line and right.why in line

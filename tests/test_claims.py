"""Claims audit: every comparative sentence in a chapter's prose gets its verdict from glue.

A sentence that says one loss or optimizer is better, worse, faster, more
reliable... than another is an empirical claim. It passes when it quotes a
verdict computed by the notebook (a ``{glue:...}`key``` whose key contains
``verdict``, made by ``losslab.stats.compare`` or a count with its Wilson
interval), or when ``tests/claims_allowlist.yml`` lists it with the reason it
is not an empirical comparison (a definition, a piece of math, an exercise's
question...). Entries that no longer match a sentence fail too, so the list
stays short and true.
"""

import json
import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = sorted((ROOT / "chapters").glob("*.ipynb"))
ALLOWLIST = ROOT / "tests" / "claims_allowlist.yml"

COMPARATIVE = re.compile(
    r"\b(better|worse|best|worst|faster|slower|fastest|slowest|quicker|quickest|"
    r"most reliable|least reliable|more reliable|less reliable|more robust|less robust|"
    r"more accurate|less accurate|as well as|outperform\w*|beats?|superior|inferior|"
    r"wins?|won|rescues?|rescued)\b",
    re.IGNORECASE,
)
VERDICT_GLUE = re.compile(r"\{glue(?::\w+)?\}`[^`]*verdict[^`]*`")


def _prose(cell_source: str) -> str:
    """Markdown without code blocks, display math and directive option lines."""
    text = re.sub(r"```.*?```", " ", cell_source, flags=re.S)
    text = re.sub(r"\$\$.*?\$\$", " ", text, flags=re.S)
    text = re.sub(r"^:[a-z-]+:.*$", " ", text, flags=re.M)   # :label: ..., :class: ...
    text = re.sub(r"^\s*[:`]{3,}.*$", " ", text, flags=re.M)  # ::: fences and directive names
    return text


def _blocks(text: str) -> list[str]:
    """Paragraphs and list items; headings, tables and labels dropped."""
    blocks, current = [], []
    for line in text.splitlines():
        stripped = line.strip()
        new_item = re.match(r"^([-*+]|\d+\.)\s", stripped)
        if not stripped or stripped.startswith(("#", "|", "(")) and stripped.endswith((")=", "|")) \
                or stripped.startswith("#") or new_item:
            if current:
                blocks.append(" ".join(current))
            current = []
            if new_item:
                current = [stripped[new_item.end():]]
            continue
        current.append(stripped)
    if current:
        blocks.append(" ".join(current))
    return blocks


def _sentences(text: str) -> list[str]:
    parts = []
    for block in _blocks(text):
        parts += re.split(r"(?<=[.!?])\s+(?=[A-Z*(\[{`$])", block)
    return [p.strip() for p in parts if p.strip()]


def comparative_sentences(path: Path) -> list[str]:
    """Sentences of the notebook's markdown cells that use comparative wording."""
    cells = json.loads(path.read_text())["cells"]
    found = []
    for cell in cells:
        if cell["cell_type"] != "markdown":
            continue
        for sentence in _sentences(_prose("".join(cell["source"]))):
            if COMPARATIVE.search(sentence):
                found.append(sentence)
    return found


def _allowlist() -> list[dict]:
    entries = yaml.safe_load(ALLOWLIST.read_text()) or []
    for entry in entries:
        assert set(entry) == {"chapter", "text", "reason"}, f"malformed allow-list entry: {entry}"
        assert entry["reason"].strip(), f"allow-list entry without a reason: {entry}"
    return entries


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_comparative_sentences_quote_a_verdict(path):
    allowed = [e["text"] for e in _allowlist() if e["chapter"] == path.stem]
    unearned = [s for s in comparative_sentences(path)
                if not VERDICT_GLUE.search(s) and not any(a in s for a in allowed)]
    assert not unearned, (
        f"{path.name}: comparative sentences without a glued verdict (glue a word from "
        "losslab.stats.compare, or allow-list the sentence with a reason):\n- " + "\n- ".join(unearned))


def test_allowlist_entries_still_match_a_sentence():
    sentences = {p.stem: comparative_sentences(p) for p in CHAPTERS}
    stale = [e for e in _allowlist() if not any(e["text"] in s for s in sentences.get(e["chapter"], []))]
    assert not stale, f"allow-list entries that match no comparative sentence: {stale}"


def test_the_audit_catches_an_unearned_claim(tmp_path):
    """The scanner itself: an unearned claim is found, a glued verdict passes."""
    notebook = {"cells": [
        {"cell_type": "markdown", "source": ["Huber did better than MSE here. Nothing to see.\n"]},
        {"cell_type": "markdown",
         "source": ["## Best of all\n", "- Huber is better than MSE: {glue:text}`verdict_huber_mse`.\n"]},
        {"cell_type": "markdown", "source": ["```python\nbest = 1  # better\n```\n"]},
    ]}
    path = tmp_path / "x.ipynb"
    path.write_text(json.dumps(notebook))
    found = comparative_sentences(path)
    assert found == ["Huber did better than MSE here.", "Huber is better than MSE: {glue:text}`verdict_huber_mse`."]
    assert [bool(VERDICT_GLUE.search(s)) for s in found] == [False, True]

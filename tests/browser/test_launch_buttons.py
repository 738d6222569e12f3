"""Every chapter page has Colab, Binder, download, repository and issues buttons pointing at the right
places; appendix pages have no launch buttons.

`make browser-test` builds _build/html with BOOK_REPOSITORY=https://github.com/example-org/loss-book
(BOOK_BRANCH=main): the buttons must point there. Their external targets cannot be followed
offline, so their hrefs are read from the pages the browser is served (test_book_pages.py opens
every page in Chromium and checks that it loads cleanly, button icons included).
"""

import html
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HTML = ROOT / "_build" / "html"
REPOSITORY = "https://github.com/example-org/loss-book"
BRANCH = "main"
CHAPTERS = sorted(p.relative_to(ROOT).with_suffix(".html").as_posix() for p in (ROOT / "chapters").glob("*.ipynb"))
APPENDIX = sorted(p.relative_to(HTML).as_posix() for p in (HTML / "appendix").glob("*.html"))


class _Buttons(HTMLParser):
    """The header buttons' links: {button class or 'launch': [href, ...]}."""

    def __init__(self):
        super().__init__()
        self.links, self._launch_depth, self._depth = {}, None, 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        classes = (attrs.get("class") or "").split()
        if tag == "div":
            self._depth += 1
            if "dropdown-launch-buttons" in classes:
                self._launch_depth = self._depth
        if tag == "a" and "btn" in classes and attrs.get("href"):
            named = [c for c in classes if c.startswith("btn-") and c != "btn-sm"]  # e.g. btn-source-issues-button
            kind = "launch" if self._launch_depth else (named or ["btn"])[0]
            self.links.setdefault(kind, []).append(attrs["href"])

    def handle_endtag(self, tag):
        if tag == "div":
            if self._launch_depth == self._depth:
                self._launch_depth = None
            self._depth -= 1


def buttons(path):
    parser = _Buttons()
    parser.feed((HTML / path).read_text(encoding="utf-8"))
    return parser.links


def test_the_book_is_built_with_chapters_and_appendix_pages():
    assert (HTML / "index.html").exists(), "No built book in _build/html: run `make browser-test`."
    assert CHAPTERS and APPENDIX and all((HTML / p).exists() for p in CHAPTERS)


@pytest.mark.parametrize("path", CHAPTERS)
def test_chapter_page_has_the_five_buttons(path):
    notebook = Path(path).with_suffix(".ipynb").as_posix()
    links = buttons(path)
    assert links.get("launch"), (f"no launch buttons on {path}: was the book built with "
                                 f"BOOK_REPOSITORY={REPOSITORY}? `make browser-test` builds it so")
    assert sorted(links["launch"]) == sorted([
        f"https://colab.research.google.com/github/example-org/loss-book/blob/{BRANCH}/{notebook}",
        f"https://mybinder.org/v2/gh/example-org/loss-book/{BRANCH}?urlpath=lab/tree/{notebook}",
    ])
    assert links.get("btn-source-repository-button") == [REPOSITORY]
    issues = links.get("btn-source-issues-button", [])
    assert len(issues) == 1 and issues[0].startswith(f"{REPOSITORY}/issues/new?"), issues
    assert links.get("btn-download-source-button") == [f"../_sources/{notebook}"]
    download = HTML / "_sources" / notebook
    assert download.read_bytes() == (ROOT / notebook).read_bytes(), "the download is not the chapter"


@pytest.mark.parametrize("path", CHAPTERS)
def test_chapter_page_hides_the_install_cell_and_shows_the_setup_cell(path):
    text = html.unescape(re.sub(r"<[^>]+>", "", (HTML / path).read_text(encoding="utf-8")))
    assert "pip install losslab" not in text
    assert "losslab.set_seed(" in text


@pytest.mark.parametrize("path", APPENDIX)
def test_appendix_page_has_no_launch_buttons(path):
    links = buttons(path)
    assert "launch" not in links
    assert links.get("btn-source-repository-button") == [REPOSITORY]  # the repository still is there
    content = (HTML / path).read_text(encoding="utf-8")
    assert "colab.research.google.com" not in content and "mybinder.org" not in content

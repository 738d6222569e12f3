"""Every chapter page has working Colab, Binder, download, repository and issues buttons; appendix pages
have no launch buttons.

`make browser-test` builds _build/html with BOOK_REPOSITORY=https://github.com/example-org/loss-book
(BOOK_BRANCH unset, so main): the buttons must point there. Their external targets cannot be
followed offline, so their hrefs are checked; the download is fetched from the served book.
"""

import html
import re
from pathlib import Path

import pytest
from test_book_pages import HTML, PAGES, ROOT, _open, browser, site  # noqa: F401 (fixtures)

REPOSITORY = "https://github.com/example-org/loss-book"
BRANCH = "main"
CHAPTERS = [p for p in PAGES if p.startswith("chapters/")]
APPENDIX = [p for p in PAGES if p.startswith("appendix/")]


def _hrefs(page, selector):
    return page.locator(selector).evaluate_all("links => links.map(a => a.getAttribute('href'))")


def test_there_are_chapter_and_appendix_pages():
    chapters = sorted(p.relative_to(ROOT).with_suffix(".html").as_posix() for p in (ROOT / "chapters").glob("*.ipynb"))
    assert CHAPTERS == chapters and APPENDIX


@pytest.mark.parametrize("path", CHAPTERS)
def test_chapter_page_has_the_five_buttons(site, browser, path):  # noqa: F811
    notebook = Path(path).with_suffix(".ipynb").as_posix()
    page, problems = _open(browser, site + path)
    try:
        launch = _hrefs(page, ".dropdown-launch-buttons a")
        assert launch, (f"no launch buttons on {path}: was the book built with BOOK_REPOSITORY={REPOSITORY}? "
                        "`make browser-test` builds it so")
        assert sorted(launch) == sorted([
            f"https://colab.research.google.com/github/example-org/loss-book/blob/{BRANCH}/{notebook}",
            f"https://mybinder.org/v2/gh/example-org/loss-book/{BRANCH}?urlpath=lab/tree/{notebook}",
        ])
        assert _hrefs(page, "a.btn-source-repository-button") == [REPOSITORY]
        issues = _hrefs(page, "a.btn-source-issues-button")
        assert len(issues) == 1 and issues[0].startswith(f"{REPOSITORY}/issues/new?"), issues

        download = _hrefs(page, "a.btn-download-source-button")
        assert download == [f"../_sources/{notebook}"]
        response = page.request.get(site + f"_sources/{notebook}")
        assert response.ok and response.body() == (ROOT / notebook).read_bytes(), "the download is not the chapter"
        assert problems == [], "\n".join(problems)
    finally:
        page.close()


def test_launch_menu_opens_on_click(site, browser):  # noqa: F811
    page, problems = _open(browser, site + CHAPTERS[0])
    try:
        colab = page.locator(".dropdown-launch-buttons a", has_text="Colab")
        assert not colab.is_visible()
        page.locator(".dropdown-launch-buttons button.dropdown-toggle").click()
        colab.wait_for(state="visible", timeout=5_000)
        assert problems == [], "\n".join(problems)
    finally:
        page.close()


@pytest.mark.parametrize("path", CHAPTERS)
def test_chapter_page_hides_the_install_cell_and_shows_the_setup_cell(path):
    text = html.unescape(re.sub(r"<[^>]+>", "", (HTML / path).read_text(encoding="utf-8")))
    assert "pip install losslab" not in text
    assert "losslab.set_seed" in text


@pytest.mark.parametrize("path", APPENDIX)
def test_appendix_page_has_no_launch_buttons(site, browser, path):  # noqa: F811
    page, problems = _open(browser, site + path)
    try:
        assert page.locator(".dropdown-launch-buttons").count() == 0
        assert _hrefs(page, "a.btn-source-repository-button") == [REPOSITORY]  # the repository still is there
        content = page.content()
        assert "colab.research.google.com" not in content and "mybinder.org" not in content
    finally:
        page.close()

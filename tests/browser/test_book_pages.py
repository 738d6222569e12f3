"""The built book, opened in a real browser (headless Chromium), works offline.

Run by `make browser-test` after `make book`. For every page of _build/html
served on 127.0.0.1: no console errors, no failed requests, every image
loaded and described by alt text, math typeset by the local MathJax (no raw
TeX left), and a screenshot
in _build/screenshots/. Also: every internal link resolves, the search
page finds "cross-entropy", a solution dropdown opens on click, and a quiz
answer shows its feedback on click. The student edition (_build/student/html)
shows every chapter's exercises and quiz, and no solution. And a chapter
opened in JupyterLab (from the venv) shows the quiz, which answers a click.

Needs Debian's `chromium` (apt-get install chromium); `.ci/run` installs it.
"""

import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlparse

import pytest

ROOT = Path(__file__).resolve().parents[2]
HTML = ROOT / "_build" / "html"
SHOTS = ROOT / "_build" / "screenshots"
PAGES = sorted(p.relative_to(HTML).as_posix() for p in HTML.glob("**/*.html")
               if not p.relative_to(HTML).as_posix().startswith(("_static/", "_sources/", "_images/"))
               and p.name not in {"genindex.html", "search.html"})


def _open(browser, url):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    problems = []
    page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on("requestfailed", lambda r: problems.append(f"failed request: {r.url} ({r.failure})"))
    page.on("response", lambda r: problems.append(f"HTTP {r.status}: {r.url}") if r.status >= 400 else None)
    page.goto(url, wait_until="load")
    return page, problems


def test_there_are_pages_to_check():
    assert "index.html" in PAGES and any(p.startswith("chapters/") for p in PAGES), PAGES


@pytest.mark.parametrize("path", PAGES)
def test_page_loads_cleanly_with_images_and_typeset_math(site, browser, path):
    page, problems = _open(browser, site + path)
    try:
        has_math = page.locator(".math").count() > 0
        if has_math:
            page.wait_for_function("() => window.MathJax && MathJax.startup && MathJax.startup.promise",
                                   timeout=20_000)
            page.evaluate("() => MathJax.startup.promise")
            assert page.locator("mjx-container").count() > 0, "math was not typeset by MathJax"
            raw = page.evaluate("() => Array.from(document.querySelectorAll('.math'))"
                                ".filter(e => !e.querySelector('mjx-container')).length")
            assert raw == 0, f"{raw} math elements left as raw TeX"
        no_alt = page.evaluate("() => Array.from(document.querySelectorAll('main img'))"
                               ".filter(i => !(i.getAttribute('alt') || '').trim()).map(i => i.src)")
        assert no_alt == [], f"images without alt text: {no_alt}"
        broken = page.evaluate("() => Array.from(document.images)"
                               ".filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.src)")
        assert broken == [], f"images that did not load: {broken}"
        assert "$$" not in page.inner_text("main")
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / (path.replace("/", "__").removesuffix(".html") + ".png")),
                        full_page=True)
        assert problems == [], "\n".join(problems)
    finally:
        page.close()


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.hrefs.append(attrs["href"])
        if tag in ("img", "script") and attrs.get("src"):
            self.hrefs.append(attrs["src"])
        if tag == "link" and attrs.get("href"):
            self.hrefs.append(attrs["href"])


@pytest.mark.parametrize("path", PAGES)
def test_every_internal_link_resolves(path):
    parser = _Links()
    parser.feed((HTML / path).read_text(encoding="utf-8"))
    missing = []
    for href in parser.hrefs:
        if urlparse(href).scheme or href.startswith(("mailto:", "//")):
            continue  # external: the book must not need them, but may link to them
        target, fragment = urldefrag(urljoin(path, href))
        target = target.split("?")[0]
        file = HTML / (target or path)
        if not file.exists():
            missing.append(href)
        elif fragment and file.suffix == ".html":
            ids = set(re.findall(r'id="([^"]+)"', file.read_text(encoding="utf-8")))
            if fragment not in ids:
                missing.append(href)
    assert missing == [], f"{path}: links to nothing: {missing}"


def test_search_finds_cross_entropy(site, browser):
    page, problems = _open(browser, site + "search.html?q=cross-entropy")
    try:
        page.wait_for_selector("#search-results ul.search li", timeout=20_000)
        titles = page.locator("#search-results ul.search li").all_inner_texts()
        assert any("cross-entropy" in t.lower() for t in titles), titles
        assert problems == [], "\n".join(problems)
    finally:
        page.close()


DROPDOWN_PAGES = [p for p in PAGES if 'class="solution dropdown' in (HTML / p).read_text(encoding="utf-8")]


def test_some_page_has_solution_dropdowns():
    assert DROPDOWN_PAGES, "no page has a solution dropdown"


@pytest.mark.parametrize("path", DROPDOWN_PAGES)
def test_solution_dropdown_opens_on_click(site, browser, path):
    page, problems = _open(browser, site + path)
    try:
        solution = page.locator(".solution.dropdown").first
        body = solution.locator(":scope > :not(.admonition-title)").first
        assert not body.is_visible(), "the solution is shown before the reader asks for it"
        solution.locator("button.toggle-button").click()
        body.wait_for(state="visible", timeout=5_000)
        assert problems == [], "\n".join(problems)
    finally:
        page.close()


QUIZ_PAGES = [p for p in PAGES if 'class="losslab-quiz"' in (HTML / p).read_text(encoding="utf-8")]


def test_every_chapter_page_has_a_quiz():
    chapters = [p for p in PAGES if p.startswith("chapters/")]
    assert chapters and sorted(QUIZ_PAGES) == sorted(chapters)


@pytest.mark.parametrize("path", QUIZ_PAGES)
def test_quiz_answer_gives_feedback_on_click(site, browser, path):
    page, problems = _open(browser, site + path)
    try:
        question = page.locator(".losslab-quiz-question").first
        for verdict in ["true", "false"]:  # a right and a wrong answer
            option = question.locator(f'details[data-correct="{verdict}"]').first
            feedback = option.locator(".losslab-quiz-feedback")
            assert not feedback.is_visible(), "the feedback is shown before the reader answers"
            option.locator("summary").click()
            feedback.wait_for(state="visible", timeout=5_000)
            expected = "Right." if verdict == "true" else "Not quite."
            assert feedback.inner_text().split("\n")[0].strip().lstrip("✔✘ ").startswith(expected)
        SHOTS.mkdir(parents=True, exist_ok=True)
        shot = path.removesuffix(".html").replace("/", "__") + "__quiz.png"
        page.locator(".losslab-quiz").screenshot(path=SHOTS / shot)
        assert problems == [], "\n".join(problems)
    finally:
        page.close()


@pytest.mark.parametrize("path", [p for p in PAGES if p.startswith("chapters/")])
def test_student_edition_page_shows_exercises_and_no_solutions(student_site, browser, path):
    page, problems = _open(browser, student_site + path)
    try:
        assert page.locator(".exercise").count() >= 4
        assert page.locator(".solution").count() == 0
        assert page.locator(".losslab-quiz details").count() >= 20  # the quiz still works
        assert problems == [], "\n".join(problems)
    finally:
        page.close()


@pytest.fixture(scope="module")
def jupyterlab(tmp_path_factory):
    """JupyterLab from the venv, serving a copy of one chapter, with no token, on a free local port."""
    import socket
    import subprocess
    import sys
    import time
    import urllib.request

    root = tmp_path_factory.mktemp("lab")
    shutil.copy(ROOT / "chapters" / "intro.ipynb", root)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    log = (root.parent / "jupyterlab.log").open("w")
    lab = subprocess.Popen([sys.executable, "-m", "jupyterlab", "--no-browser", "--allow-root", f"--port={port}",
                            "--ip=127.0.0.1", "--IdentityProvider.token=", "--ServerApp.password=",
                            f"--ServerApp.root_dir={root}"], stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(url + "api/status", timeout=1)
                break
            except OSError:
                time.sleep(0.5)
        else:
            pytest.fail(f"JupyterLab did not start; see {log.name}")
        yield url
    finally:
        lab.terminate()
        lab.wait(timeout=20)
        log.close()


def test_quiz_gives_feedback_on_click_in_jupyterlab(jupyterlab, browser):
    """The quiz is plain HTML, so it works in JupyterLab too, even in a notebook that is not trusted."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    try:
        page.goto(jupyterlab + "lab/tree/intro.ipynb")
        quiz = page.locator(".losslab-quiz").first
        quiz.wait_for(state="attached", timeout=60_000)
        quiz.scroll_into_view_if_needed()
        assert quiz.locator("details").count() >= 20
        feedback = quiz.locator("details").first.locator("p")
        assert not feedback.is_visible()
        quiz.locator("details summary").first.click()
        feedback.wait_for(state="visible", timeout=5_000)
        assert feedback.inner_text().lstrip("✔✘ ").startswith(("Right.", "Not quite."))
        SHOTS.mkdir(parents=True, exist_ok=True)
        quiz.screenshot(path=SHOTS / "jupyterlab__intro__quiz.png")
    finally:
        page.close()


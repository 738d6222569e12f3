"""Pages read like a book: nothing scrolls sideways at 1280 px, and pages reflow at 390 px.

At a desktop width every code cell, every output, every table and every
displayed equation must fit its column (a reader should never scroll a box sideways to read a line of code or
the last column of a table). At a phone width the page itself must reflow:
no horizontal scroll of the whole page (a long code line may scroll inside its
own box there). Screenshots of both widths go to _build/screenshots/.
"""

import pytest
from test_book_pages import PAGES, SHOTS, _open

BOXES = "div.highlight pre, div.cell_output pre, div.output pre, main table, mjx-container[display='true']"

OVERFLOWING = f"""() => Array.from(document.querySelectorAll({BOXES!r}))
  .filter(e => e.offsetParent !== null)
  .map(e => {{
    const box = e.tagName === 'TABLE' ? e.parentElement : e;
    const width = e.tagName === 'TABLE' ? e.getBoundingClientRect().width : e.scrollWidth;
    return {{kind: e.tagName, over: Math.round(width - box.clientWidth),
             text: e.innerText.split('\\n').reduce((a, b) => b.length > a.length ? b : a, '').slice(0, 90)}};
  }})
  .filter(o => o.over > 1)"""


def _shot(page, path, width):
    SHOTS.mkdir(parents=True, exist_ok=True)
    name = path.replace("/", "__").removesuffix(".html") + f"__{width}.png"
    page.screenshot(path=str(SHOTS / name), full_page=True)


@pytest.mark.parametrize("path", PAGES)
def test_no_code_output_or_table_scrolls_sideways_at_1280(site, browser, path):
    page, _ = _open(browser, site + path)
    try:
        page.set_viewport_size({"width": 1280, "height": 900})
        if page.locator(".math").count():  # measure typeset math, not raw TeX
            page.wait_for_function("() => window.MathJax && MathJax.startup && MathJax.startup.promise",
                                   timeout=20_000)
            page.evaluate("() => MathJax.startup.promise")
        overflowing = page.evaluate(OVERFLOWING)
        _shot(page, path, 1280)
        assert overflowing == [], "\n".join(f"{o['kind']} {o['over']} px too wide: {o['text']!r}" for o in overflowing)
    finally:
        page.close()


@pytest.mark.parametrize("path", PAGES)
def test_page_reflows_without_horizontal_scroll_at_390(site, browser, path):
    page, _ = _open(browser, site + path)
    try:
        page.set_viewport_size({"width": 390, "height": 844})
        page.wait_for_timeout(100)
        width = page.evaluate("() => document.documentElement.scrollWidth")
        _shot(page, path, 390)
        assert width <= 390, f"the page is {width} px wide at a 390 px viewport: it scrolls sideways"
    finally:
        page.close()


CHAPTER_WITH_FIGURES = "chapters/regression.html"


def test_figures_sit_on_a_light_background_in_the_dark_theme(site, browser):
    page, _ = _open(browser, site + CHAPTER_WITH_FIGURES)
    try:
        page.evaluate("() => document.documentElement.setAttribute('data-theme', 'dark')")
        page_background = page.evaluate("() => getComputedStyle(document.body).backgroundColor")
        figures = page.evaluate("() => Array.from(document.querySelectorAll('div.cell_output img'))"
                                ".map(i => getComputedStyle(i).backgroundColor)")
        _shot(page, CHAPTER_WITH_FIGURES.replace(".html", "_dark.html"), 1280)
        assert page_background != "rgb(255, 255, 255)", "the dark theme did not apply"
        light = [all(int(v) >= 200 for v in c[c.index("(") + 1:-1].split(",")[:3]) for c in figures]
        assert figures and all(light), f"figures on a dark background lose their black axes and labels: {figures}"
    finally:
        page.close()


def test_one_search_field_and_the_logo_in_view_at_1280(site, browser):
    page, _ = _open(browser, site + CHAPTER_WITH_FIGURES)
    try:
        page.set_viewport_size({"width": 1280, "height": 900})
        searches = page.evaluate(
            "() => Array.from(document.querySelectorAll('input, button, form'))"
            ".filter(e => e.offsetParent !== null && /search/i.test(e.className + ' '"
            " + (e.getAttribute('aria-label') || '') + ' ' + (e.getAttribute('placeholder') || ''))).length")
        assert searches == 1, f"{searches} search fields visible at 1280 px; the sidebar's one is enough"
        page.evaluate("() => window.scrollTo(0, document.body.scrollHeight)")
        page.wait_for_timeout(300)
        logo = page.evaluate(
            "() => Array.from(document.querySelectorAll('img.logo__image')).filter(i => i.offsetParent !== null)"
            ".map(i => { const r = i.getBoundingClientRect();"
            " return {top: r.top, bottom: r.bottom, height: r.height}; })")
        assert logo and logo[0]["height"] > 0, "no visible logo"
        assert 0 <= logo[0]["top"] and logo[0]["bottom"] <= 900, f"the logo is out of view at the page's end: {logo[0]}"
    finally:
        page.close()

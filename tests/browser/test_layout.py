"""Pages read like a book: nothing scrolls sideways at 1280 px, and pages reflow at 390 px.

At a desktop width every code cell, every output and every table must fit its
column (a reader should never scroll a box sideways to read a line of code or
the last column of a table). At a phone width the page itself must reflow:
no horizontal scroll of the whole page (a long code line may scroll inside its
own box there). Screenshots of both widths go to _build/screenshots/.
"""

import pytest
from test_book_pages import PAGES, SHOTS, _open, browser, site  # noqa: F401 (fixtures)

BOXES = "div.highlight pre, div.cell_output pre, div.output pre, main table"

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
def test_no_code_output_or_table_scrolls_sideways_at_1280(site, browser, path):  # noqa: F811
    page, _ = _open(browser, site + path)
    try:
        page.set_viewport_size({"width": 1280, "height": 900})
        overflowing = page.evaluate(OVERFLOWING)
        _shot(page, path, 1280)
        assert overflowing == [], "\n".join(f"{o['kind']} {o['over']} px too wide: {o['text']!r}" for o in overflowing)
    finally:
        page.close()


@pytest.mark.parametrize("path", PAGES)
def test_page_reflows_without_horizontal_scroll_at_390(site, browser, path):  # noqa: F811
    page, _ = _open(browser, site + path)
    try:
        page.set_viewport_size({"width": 390, "height": 844})
        page.wait_for_timeout(100)
        width = page.evaluate("() => document.documentElement.scrollWidth")
        _shot(page, path, 390)
        assert width <= 390, f"the page is {width} px wide at a 390 px viewport: it scrolls sideways"
    finally:
        page.close()

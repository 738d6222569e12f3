"""Shared by the browser tests: the built book served on 127.0.0.1, and one headless Chromium.

Session-wide, so every test module uses the same browser (Playwright's sync API cannot
start a second session while one is open).
"""

import functools
import http.server
import os
import shutil
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HTML = ROOT / "_build" / "html"
STUDENT_HTML = ROOT / "_build" / "student" / "html"
CHROMIUM = os.environ.get("CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]


def _missing_browser_message():
    return (f"No Chromium at {CHROMIUM}. Install Debian's browser with `sudo apt-get install chromium` "
            "(or set CHROMIUM=/path/to/chromium), then run `make browser-test` again.")


def _serve(folder):
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


@pytest.fixture(scope="session")
def site():
    if not (HTML / "index.html").exists():
        pytest.fail("No built book in _build/html: run `make book` first.")
    yield from _serve(HTML)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        # In CI a missing browser is a failure, never a skip.
        pytest.fail(_missing_browser_message())
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()



@pytest.fixture(scope="session")
def student_site():
    if not (STUDENT_HTML / "index.html").exists():
        pytest.fail("No student edition in _build/student/html: run `make student` first.")
    yield from _serve(STUDENT_HTML)


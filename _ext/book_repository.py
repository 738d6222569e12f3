"""Point the book's repository, issues, Colab and Binder buttons at the repository it is built from.

The repository's address is not written in the book. It comes from the build:

1. ``BOOK_REPOSITORY`` (``https://github.com/OWNER/NAME``) and ``BOOK_BRANCH``
   (default ``main``) in the environment; the Pages workflow sets both from
   the GitHub Actions context, so a fork's book points at the fork.
2. Otherwise the git remote ``origin``, when it is a GitHub address (https or
   ssh form), with ``BOOK_BRANCH`` or ``main``.
3. Otherwise no repository: the book keeps only its download button, and the
   build log says so in one line (a log line, not a warning, so ``-W`` builds
   still pass).

Which buttons to show is configured in ``_config.yml``; this extension only
fills in ``repository_url`` and ``repository_branch`` (or turns the buttons
that need them off). A student edition (notebooks marked
``losslab.edition: student``) gets no Colab or Binder button: those would open
the repository's chapters, solutions included.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

from sphinx.errors import ConfigError
from sphinx.util import logging

logger = logging.getLogger(__name__)

# https://github.com/OWNER/NAME[.git][/], git@github.com:OWNER/NAME[.git], ssh://git@github.com/OWNER/NAME[.git]
_GITHUB = re.compile(
    r"^(?:https://github\.com/|git@github\.com:|ssh://git@github\.com/)"
    r"(?P<owner>[A-Za-z0-9][A-Za-z0-9-]*)/(?P<name>[A-Za-z0-9._-]+?)(?:\.git)?/?$"
)
_BUTTONS = ("use_repository_button", "use_issues_button")


def github_repository(url: str) -> str | None:
    """``https://github.com/OWNER/NAME`` for a GitHub address in https or ssh form, else None."""
    match = _GITHUB.match(url.strip())
    return f"https://github.com/{match['owner']}/{match['name']}" if match else None


def _origin(folder: Path) -> str | None:
    try:
        result = subprocess.run(["git", "-C", str(folder), "remote", "get-url", "origin"],
                                capture_output=True, text=True, timeout=10, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return result.stdout.strip() if result.returncode == 0 else None


def decide(environ: dict, folder: Path) -> tuple[str | None, str, str]:
    """(repository URL or None, branch, where the URL came from, said in words)."""
    branch = environ.get("BOOK_BRANCH", "").strip() or "main"
    given = environ.get("BOOK_REPOSITORY", "").strip()
    if given:
        url = github_repository(given)
        if url is None:
            raise ConfigError(f"BOOK_REPOSITORY={given!r} is not a GitHub repository address; "
                              "use the form https://github.com/OWNER/NAME, or unset it.")
        return url, branch, "BOOK_REPOSITORY"
    origin = _origin(folder)
    url = github_repository(origin) if origin else None
    if url:
        return url, branch, "the git remote 'origin'"
    reason = f"the git remote 'origin' ({origin}) is not on GitHub" if origin else "there is no git remote 'origin'"
    return None, branch, reason


def _configure(app, config):
    options = config.html_theme_options
    url, branch, source = decide(os.environ, Path(app.srcdir))
    if url:
        options["repository_url"] = url
        options["repository_branch"] = branch
        options["path_to_docs"] = ""  # the book's root is the repository's root
        logger.info(f"book_repository: buttons point at {url} (branch {branch}), from {source}")
        return
    options["repository_url"] = ""
    for button in _BUTTONS:
        options[button] = False
    options["launch_buttons"] = {}
    logger.info(f"book_repository: BOOK_REPOSITORY is not set and {source}: building with the download "
                "button only (set BOOK_REPOSITORY=https://github.com/OWNER/NAME for the others)")


def is_student_edition(page_metadata: dict) -> bool:
    """Whether a page comes from a student notebook (metadata ``losslab: {edition: student}``)."""
    losslab = page_metadata.get("losslab", {})
    if isinstance(losslab, str):  # myst-nb keeps notebook metadata as JSON text
        try:
            losslab = json.loads(losslab)
        except ValueError:
            return False
    return isinstance(losslab, dict) and losslab.get("edition") == "student"


def _drop_launch_buttons_in_student_edition(app, pagename, templatename, context, doctree):
    if is_student_edition(app.env.metadata.get(pagename, {})):
        context["header_buttons"] = [b for b in context.get("header_buttons", [])
                                     if b.get("label") != "launch-buttons"]


def setup(app):
    app.connect("config-inited", _configure)
    # after the theme has added its buttons (priority 501)
    app.connect("html-page-context", _drop_launch_buttons_in_student_edition, priority=600)
    return {"parallel_read_safe": True, "parallel_write_safe": True}

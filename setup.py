"""The one piece of the package's metadata that depends on where it is built: its project URLs.

Everything else is in pyproject.toml. As for the book's buttons, the repository's
address is not written in the project: the release workflow sets BOOK_REPOSITORY
(https://github.com/OWNER/NAME) from the GitHub Actions context, so a package
built from a fork names the fork. Without BOOK_REPOSITORY the package has no URLs.
"""

import os
import re

from setuptools import setup

repository = os.environ.get("BOOK_REPOSITORY", "").strip().removesuffix("/").removesuffix(".git")
match = re.fullmatch(r"https://github\.com/([A-Za-z0-9-]+)/([A-Za-z0-9._-]+)", repository)
if repository and not match:
    raise SystemExit(f"BOOK_REPOSITORY={repository!r} is not of the form https://github.com/OWNER/NAME")
urls = {}
if match:
    owner, name = match.groups()
    urls = {
        "Homepage": f"https://{owner.lower()}.github.io/{name}/",  # the book, published by GitHub Pages
        "Source": repository,
        "Issues": f"{repository}/issues",
    }
setup(project_urls=urls)

"""The book's buttons point at the repository it is built from (_ext/book_repository.py)."""

import subprocess
import sys
from pathlib import Path

import pytest
from sphinx.errors import ConfigError

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "_ext"))
from book_repository import decide, github_repository, is_student_edition  # noqa: E402


@pytest.mark.parametrize("url", ["https://github.com/example-org/loss-book",
                                 "https://github.com/example-org/loss-book/",
                                 "https://github.com/example-org/loss-book.git",
                                 "git@github.com:example-org/loss-book.git",
                                 "ssh://git@github.com/example-org/loss-book.git"])
def test_github_addresses_in_https_and_ssh_form(url):
    assert github_repository(url) == "https://github.com/example-org/loss-book"


@pytest.mark.parametrize("url", ["https://gitlab.com/example-org/loss-book", "/srv/git/loss-book.git",
                                 "https://github.com/example-org", "https://github.com/a/b/tree/main", ""])
def test_other_addresses_are_not_github_repositories(url):
    assert github_repository(url) is None


def _git(folder, *args):
    subprocess.run(["git", "-C", str(folder), *args], check=True, capture_output=True)


def test_book_repository_wins_over_origin_and_book_branch_is_used(tmp_path):
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "remote", "add", "origin", "git@github.com:someone/fork.git")
    env = {"BOOK_REPOSITORY": "https://github.com/example-org/loss-book", "BOOK_BRANCH": "course-2027"}
    assert decide(env, tmp_path) == ("https://github.com/example-org/loss-book", "course-2027", "BOOK_REPOSITORY")


def test_origin_in_ssh_form_when_book_repository_is_unset(tmp_path):
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "remote", "add", "origin", "git@github.com:someone/fork.git")
    assert decide({}, tmp_path) == ("https://github.com/someone/fork", "main", "the git remote 'origin'")


def test_no_repository_without_origin_or_with_a_non_github_origin(tmp_path):
    assert decide({}, tmp_path)[0] is None  # not a git repository at all
    _git(tmp_path, "init", "-q")
    assert decide({}, tmp_path)[:2] == (None, "main")
    _git(tmp_path, "remote", "add", "origin", "/srv/git/loss-book.git")
    url, _, reason = decide({}, tmp_path)
    assert url is None and "/srv/git/loss-book.git" in reason


def test_a_book_repository_that_is_not_on_github_is_a_clear_error(tmp_path):
    with pytest.raises(ConfigError, match="https://github.com/OWNER/NAME"):
        decide({"BOOK_REPOSITORY": "gitlab.com/x/y"}, tmp_path)


@pytest.mark.parametrize("metadata, student", [({"losslab": {"edition": "student"}}, True),
                                               ({"losslab": '{"edition": "student"}'}, True),
                                               ({"losslab": "not json"}, False),
                                               ({"kernelspec": {"name": "python3"}}, False)])
def test_student_edition_pages_are_recognised_from_their_notebook_metadata(metadata, student):
    assert is_student_edition(metadata) is student

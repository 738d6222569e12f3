"""The examples in the small modules' docstrings run and print what they show."""

import doctest

import pytest

from losslab import report, stats


@pytest.mark.parametrize("module", [stats, report], ids=lambda m: m.__name__)
def test_docstring_examples(module):
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0, f"{module.__name__} has no examples to run"
    assert result.failed == 0

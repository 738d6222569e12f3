"""The probe half of a check: run the learner's answer, keep only plain data.

A probe runs where the answer lives (the learner's kernel) and returns a
plain dict (strings, numbers, lists) that survives a JSON round trip. The
judge half (``losslab.exercises``) turns that data into a verdict without
running any of the learner's code, so a grader can run the probes inside a
sandbox and judge their data in its own process.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

import numpy as np

__all__ = ["number", "calls", "MAX_VALUES"]

MAX_VALUES = 1000
"""An answer's result with more values than this is kept as its shape only (no probe expects that many)."""


def _call(fn: Callable, *args, **kwargs) -> tuple[Any, str | None]:
    """Call the learner's function; return (result, None) or (None, what went wrong)."""
    try:
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore")  # a careless answer's warnings become feedback, not noise
            return fn(*args, **kwargs), None
    except Exception as error:
        return None, f"{type(error).__name__}: {_text(error)}"


def _text(value: Any, limit: int = 300) -> str:
    try:
        return str(value)[:limit]
    except Exception:  # a learner's object whose __str__ raises
        return f"<{type(value).__name__}>"


def outcome(got: Any, error: str | None) -> dict:
    """One call's result as plain data: an error, None, not numbers, or a float array (shape and values)."""
    if error is not None:
        return {"error": error}
    if got is None:
        return {"none": True}
    try:
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            values = np.asarray(got, dtype=float)
    except Exception:
        return {"type": type(got).__name__}
    record: dict[str, Any] = {"shape": [int(n) for n in values.shape]}
    if values.size <= MAX_VALUES:
        record["values"] = [float(v) for v in values.ravel()]
    return record


def number(answer: Any) -> dict:
    """Probe of a number answer: the number itself, or what was given instead."""
    if answer is Ellipsis:
        return {"kind": "ellipsis"}
    try:
        if isinstance(answer, np.ndarray) and answer.size == 1:
            answer = answer.item()
        return {"kind": "number", "value": float(answer)}
    except Exception:
        try:
            shown = repr(answer)[:200]
        except Exception:
            shown = f"<{type(answer).__name__}>"
        return {"kind": "not_a_number", "repr": shown}


def calls(inputs: list, caller: Callable | None = None) -> Callable[[Any], dict]:
    """Probe of a function answer: call it on each input, in order, and keep each outcome.

    Args:
        inputs: ``(description, args, kwargs)`` triples; each argument is passed as a numpy array.
        caller: ``caller(fn, *args, **kwargs)`` to use instead of ``fn(*args, **kwargs)`` (an
            optimizer step run for several steps, say).
    """
    def probe(fn: Any) -> dict:
        if not callable(fn):
            return {"kind": "not_callable", "type": type(fn).__name__}
        results = []
        for _, args, kwargs in inputs:
            arrays = [np.array(a) for a in args]
            if caller is None:
                results.append(outcome(*_call(fn, *arrays, **kwargs)))
            else:
                results.append(outcome(*_call(caller, fn, *arrays, **kwargs)))
        return {"kind": "function", "calls": results}
    return probe

"""A cap on what a notebook shows, kept inside its own kernel (the grader installs it).

Counting output where it is read, in the grader's client, and interrupting the
kernel from outside is a race: by the time the client has read past the limit,
megabytes more may be queued, and on a loaded machine the client loses. So the
cap sits where output is made, in two places:

- every write to the kernel's ``sys.stdout`` and ``sys.stderr`` (``print``,
  logging, tracebacks of threads, and C code writing to file descriptor 1, which
  ipykernel reads back and writes there) is counted as it is written, before
  ipykernel buffers it;
- everything else the kernel shows (``display``, a cell's displayed result,
  widgets' messages) is counted as it is sent, in the kernel's ``Session.send``,
  in characters.

What a cell clears (``clear_output``: a live plot redrawn) counts no more. An
error is always shown and never counted; its message and each traceback line
are cut to ``ERROR_CHARACTERS``, so that a huge one cannot clog the kernel's
channels.

Past the limit nothing more is shown, one uncounted line says so, and the
notebook's code stops with :class:`OutputLimitExceeded`: at once when it is the
code writing, otherwise (another thread printing, which is slowed from then on)
through a signal to the main thread. Between cells nothing is ever raised into
the kernel's own loop.

This bounds output; it is not a defence. Code in the kernel can undo the cap,
so the grader still counts what it receives, refuses oversized messages and
interrupts past twice the limit, and the wall-time limit ends whatever remains.

>>> import io
>>> class Page(io.StringIO):  # a stream whose class can be extended, like ipykernel's
...     pass
>>> class Session:  # what a kernel sends through
...     def send(self, stream, msg_or_type, content=None, **kwargs):
...         return f"sent {msg_or_type}"
>>> out, session = Page(), Session()
>>> install(30, session=session, shell=None, streams=[out])
>>> out.write("0123456789")
10
>>> session.send(None, "display_data", {"data": {"text/plain": "1"}})  # 19 characters of JSON
'sent display_data'
>>> session.send(None, "status", {"execution_state": "idle"})  # not output: never counted
'sent status'
>>> out.write("!!")  # one line goes out instead, then the code that printed stops
Traceback (most recent call last):
...
losslab.output_cap.OutputLimitExceeded: this notebook printed more than the output limit \
(30 characters); the rest is not shown. Print less: a summary, or every 100th line.
>>> out.getvalue().splitlines()[-1]
'[output stopped: this notebook printed more than the output limit (30 characters); the rest \
is not shown. Print less: a summary, or every 100th line.]'
>>> lift()
>>> out.write("!")
1
"""

from __future__ import annotations

import _thread
import json
import signal
import threading
import time

__all__ = ["OutputLimitExceeded", "install", "lift"]

SIGNAL = signal.SIGUSR2
"""How the main thread is told that output sent from another thread passed the limit."""

THROTTLE = 0.1
"""Seconds each refused write from a thread other than the main one waits (a flooding thread slowed)."""

SHOWN = frozenset({"stream", "display_data", "execute_result", "update_display_data", "comm_open", "comm_msg"})
"""The message types that carry what a notebook shows (widgets' messages included); each one's text or
data counts against the limit, in characters (``é`` is one, not the six of its JSON escape)."""

ERROR_CHARACTERS = 10_000
"""An error's message and each line of its traceback are cut to this many characters (never counted)."""


NOTICE = "\n[output stopped: {}]\n"
"""The one line sent, uncounted, when output is first refused (``{}``: the limit's message)."""


class OutputLimitExceeded(BaseException):
    """The notebook's output passed the limit.

    A ``BaseException`` (like ``KeyboardInterrupt``), so that ``except Exception``
    inside a printing loop does not swallow it.
    """


def _message_type(msg_or_type, content):
    """A message's type and content, whether sent by type or built beforehand (as IPython's display hook does)."""
    if isinstance(msg_or_type, dict):
        return msg_or_type.get("msg_type") or msg_or_type.get("header", {}).get("msg_type"), msg_or_type.get("content")
    return msg_or_type, content


def _shown_size(msg_or_type, content, streams_counted: bool = False) -> int:
    """Characters of output in a message about to be sent (0 for anything not shown, and for
    printed text when it was counted as it was written)."""
    msg_type, content = _message_type(msg_or_type, content)
    if msg_type not in SHOWN or not isinstance(content, dict):
        return 0
    if msg_type == "stream":
        return 0 if streams_counted else len(str(content.get("text", "")))
    return len(json.dumps(content.get("data", {}), default=str, ensure_ascii=False))


def _cut(text: str) -> str:
    if len(text) <= ERROR_CHARACTERS:
        return text
    return f"{text[:ERROR_CHARACTERS]}... ({len(text) - ERROR_CHARACTERS} more characters not shown)"


def _trimmed_error(content):
    """``content`` with an error's message and traceback cut to size (a copy), or itself when nothing is long."""
    if not isinstance(content, dict) or not ("evalue" in content or "traceback" in content):
        return content
    evalue, traceback = content.get("evalue"), content.get("traceback")
    long_value = isinstance(evalue, str) and len(evalue) > ERROR_CHARACTERS
    long_trace = isinstance(traceback, list) and (len(traceback) > 200 or any(
        isinstance(line, str) and len(line) > ERROR_CHARACTERS for line in traceback))
    if not (long_value or long_trace):
        return content
    trimmed = dict(content)
    if long_value:
        trimmed["evalue"] = _cut(evalue)
    if long_trace:
        kept = traceback[:100] + ([f"... ({len(traceback) - 200} more lines not shown)"] + traceback[-100:]
                                  if len(traceback) > 200 else traceback[100:])
        trimmed["traceback"] = [_cut(line) if isinstance(line, str) else line for line in kept]
    return trimmed


class _Cap:
    def __init__(self, limit: int):
        self.limit = limit
        self.printed = 0
        self.in_cell = 0  # of which, printed by the running cell (given back when it clears its output)
        self.tripped = False
        self.signalled = False
        self.told = False
        self.running = True  # in a cell (only the shell's events tell otherwise)
        self.undo: list = []
        self.lock = threading.Lock()

    def message(self) -> str:
        return (f"this notebook printed more than the output limit ({self.limit} characters); the rest "
                "is not shown. Print less: a summary, or every 100th line.")

    def cleared(self) -> None:
        """The running cell cleared its output (a live plot redrawn): what it had shown counts no more."""
        with self.lock:
            self.printed -= self.in_cell
            self.in_cell = 0

    def first_refusal(self) -> bool:
        """True once, after the limit is passed: the one time the notice is sent."""
        with self.lock:
            first = self.tripped and not self.told
            self.told = self.told or self.tripped
            return first

    def allows(self, size: int) -> bool:
        """Count ``size`` characters about to be sent; False (and the notebook stopped) past the limit."""
        with self.lock:
            if not self.tripped and self.printed + size <= self.limit:
                self.printed += size
                self.in_cell += size
                return True
            self.tripped = True
            first = not self.signalled
            self.signalled = True
        if threading.current_thread() is threading.main_thread():
            if self.running:  # the notebook's own code is printing or displaying: stop it here
                raise OutputLimitExceeded(self.message())
            return False  # the kernel's own code, between cells (a last flush): never raise into it
        if first:  # another thread printing, or ipykernel's sending: stop the main thread, once
            _thread.interrupt_main(SIGNAL)
        return False


_CAP: _Cap | None = None


def _counting_class(cap: _Cap, cls: type) -> type:
    """A subclass of a stream's class whose ``write`` counts each write once, then writes or drops it.

    ``write`` is a property, not a method: IPython replaces ``sys.stdout.write`` on the stream during
    every cell (to keep a copy for its history) and puts back what it found, which would throw away
    any wrapper set on the stream. The property keeps whatever is set as the target and hands out a
    counting wrapper of it; a wrapper calling another one (IPython's copy calling the write it found)
    counts once, by a per-thread flag.
    """
    inside = threading.local()

    def counting(target):
        def write(text, *args, **kwargs):
            if getattr(inside, "writing", False):
                return target(text, *args, **kwargs)
            inside.writing = True
            try:
                allowed = False
                try:
                    allowed = cap.allows(len(text) if isinstance(text, str) else 0)
                finally:
                    if cap.first_refusal():
                        target(NOTICE.format(cap.message()))
                if allowed:
                    return target(text, *args, **kwargs)
                if threading.current_thread() is not threading.main_thread():
                    time.sleep(THROTTLE)  # a thread printing on and on: slowed, so it does not spin
                return len(text)
            finally:
                inside.writing = False

        write.counted_target = target
        return write

    def get(self):
        target = vars(self).get("_counted_write") or cls.write.__get__(self)
        return counting(target)

    def put(self, value):
        vars(self)["_counted_write"] = getattr(value, "counted_target", value)

    def drop(self):
        vars(self).pop("_counted_write", None)

    return type(cls.__name__, (cls,), {"write": property(get, put, drop), "__module__": cls.__module__,
                                       "__qualname__": cls.__qualname__})


def _count_writes(cap: _Cap, stream) -> None:
    cls = type(stream)
    try:
        stream.__class__ = _counting_class(cap, cls)
    except TypeError:
        raise ValueError(f"cannot count what is written to a {cls.__name__} (its class cannot be extended); "
                         "pass streams such as ipykernel's OutStream.") from None

    def undo():
        stream.__class__ = cls
        vars(stream).pop("_counted_write", None)

    cap.undo.append(undo)


def _count_sends(cap: _Cap, session, streams_counted: bool) -> None:
    send = session.send

    def capped_send(stream, msg_or_type, content=None, *args, **kwargs):
        msg_type = _message_type(msg_or_type, content)[0]
        if msg_type in ("error", "execute_reply") and not isinstance(msg_or_type, dict):
            content = _trimmed_error(content)  # always shown, never counted: so never huge
        elif msg_type == "clear_output":
            cap.cleared()
        size = _shown_size(msg_or_type, content, streams_counted)  # replies, status, errors: 0, always sent
        if size == 0:
            return send(stream, msg_or_type, content, *args, **kwargs)
        try:
            if cap.allows(size):
                return send(stream, msg_or_type, content, *args, **kwargs)
            return None
        finally:
            if cap.first_refusal():  # one line on stderr, uncounted, so the reader (and the grader) knows
                parent = msg_or_type.get("parent_header") if isinstance(msg_or_type, dict) else kwargs.get("parent")
                send(stream, "stream", {"name": "stderr", "text": NOTICE.format(cap.message())}, parent=parent,
                     ident=b"stream.stderr")

    own = vars(session)
    had, before = "send" in own, own.get("send")
    session.send = capped_send
    cap.undo.append(lambda: setattr(session, "send", before) if had else vars(session).pop("send", None))


def _follow_cells(cap: _Cap, shell) -> None:
    cap.running = False  # installed from a cell: that cell is over as far as the cap is concerned

    def started(*args):
        cap.running = True
        cap.in_cell = 0

    def ended(*args):
        cap.running = False

    shell.events.register("pre_run_cell", started)
    shell.events.register("post_run_cell", ended)
    cap.undo += [lambda: shell.events.unregister("pre_run_cell", started),
                 lambda: shell.events.unregister("post_run_cell", ended)]


def install(limit: int, session=None, shell="ipython", streams=None) -> None:
    """Cap what this kernel shows at ``limit`` characters, all output together.

    Args:
        limit: the number of characters that may be shown, a positive integer.
        session: the object whose ``send`` method every message goes through; by default the
            running kernel's ``Session``.
        shell: the IPython shell whose cells the cap stops (between cells the kernel's own loop
            is never interrupted); by default the running one; ``None`` for none.
        streams: the text streams whose writes are counted as they are written; by default
            ``sys.stdout`` and ``sys.stderr``. With none, printed text is counted when sent.

    Must be called from the main thread (the limit's signal is handled there). A second call
    replaces the first cap.
    """
    import sys

    if isinstance(limit, bool) or not isinstance(limit, int) or limit <= 0:
        raise ValueError(f"the output limit is a positive number of characters, e.g. 10 * 2**20; got {limit!r}.")
    if threading.current_thread() is not threading.main_thread():
        raise ValueError("install the output cap from the main thread: its signal is handled there.")
    if shell == "ipython":
        from IPython import get_ipython

        shell = get_ipython()
    if session is None:
        session = getattr(getattr(shell, "kernel", None), "session", None)
        if session is None:
            raise ValueError("no kernel session to cap: call install() inside a Jupyter kernel, "
                             "or pass the session whose send() carries the output.")
    streams = [sys.stdout, sys.stderr] if streams is None else list(streams)
    global _CAP
    lift()
    cap = _Cap(limit)
    try:
        for stream in streams:
            _count_writes(cap, stream)
        _count_sends(cap, session, streams_counted=bool(streams))
        if shell is not None:
            _follow_cells(cap, shell)
    except BaseException:
        for undo in reversed(cap.undo):
            undo()
        raise

    def stop(signum, frame):
        if cap.running:  # between cells the kernel's own loop runs: never raise into it
            raise OutputLimitExceeded(cap.message())

    old = signal.signal(SIGNAL, stop)
    cap.undo.append(lambda: signal.signal(SIGNAL, old))
    _CAP = cap


def lift() -> None:
    """Remove the cap (the grader does so before its own cells); nothing happens when there is none."""
    global _CAP
    if _CAP is not None:
        for undo in reversed(_CAP.undo):
            undo()
        _CAP = None

"""losslab.output_cap: the kernel-side cap on output, on a stand-in for the kernel's session.

The real kernel (ipykernel's buffered streams, IPython's display, file descriptor 1, threads) is
exercised by the output floods of tests/test_grade_hostile.py.
"""

import io
import signal
import sys
import threading
import time
import types

import pytest
from IPython.core.events import EventManager, available_events

from losslab import output_cap
from losslab.output_cap import OutputLimitExceeded


class Session:
    """Records what would have left the kernel."""

    def __init__(self):
        self.sent = []

    def send(self, stream, msg_or_type, content=None, parent=None, ident=None, **kwargs):
        self.sent.append((msg_or_type, content, parent))
        return {"msg_type": msg_or_type}


class Page(io.StringIO):
    """A stream whose class can be extended, as ipykernel's OutStream can."""


def stream(text):
    return {"name": "stdout", "text": text}


@pytest.fixture
def session():
    session = Session()
    yield session
    output_cap.lift()


def shell():
    events = EventManager(None, available_events)
    return types.SimpleNamespace(events=events), events


def test_output_up_to_the_limit_is_sent_and_the_next_stops_the_code(session):
    output_cap.install(30, session=session, shell=None, streams=())
    session.send(None, "stream", stream("0123456789"))
    session.send(None, "display_data", {"data": {"text/plain": "1"}})  # its data's JSON: 19 characters
    assert [m for m, *_ in session.sent] == ["stream", "display_data"]
    with pytest.raises(OutputLimitExceeded, match=r"output limit \(30 characters\)"):
        session.send(None, "stream", stream("01"))  # 10 + 19 + 2 > 30
    with pytest.raises(OutputLimitExceeded):  # once over, nothing more, however small
        session.send(None, "stream", stream("x"))
    assert [m for m, *_ in session.sent] == ["stream", "display_data", "stream"]  # the last is the notice


def test_messages_that_show_nothing_are_never_counted_or_held_back(session):
    output_cap.install(3, session=session, shell=None, streams=())
    with pytest.raises(OutputLimitExceeded):
        session.send(None, "stream", stream("four"))
    for kind in ["status", "execute_reply", "error", "execute_input"]:
        assert session.send(None, kind, {"status": "ok"}) == {"msg_type": kind}
    assert session.sent[-4:] == [(k, {"status": "ok"}, None) for k in ["status", "execute_reply", "error",
                                                                       "execute_input"]]


def test_one_notice_is_sent_uncounted_with_the_parent_of_the_refused_output(session):
    output_cap.install(3, session=session, shell=None, streams=())
    prebuilt = {"msg_type": "execute_result", "parent_header": {"msg_id": "cell-7"},
                "content": {"data": {"text/plain": "'a long result'"}}}
    for _ in range(3):
        with pytest.raises(OutputLimitExceeded):
            session.send(None, prebuilt)
    notices = [(c, p) for m, c, p in session.sent if m == "stream"]
    assert len(notices) == 1 and notices[0][1] == {"msg_id": "cell-7"}
    assert notices[0][0]["name"] == "stderr"
    assert notices[0][0]["text"].strip() == f"[output stopped: {output_cap._CAP.message()}]"


def test_output_from_another_thread_is_dropped_and_the_main_thread_stopped(session):
    output_cap.install(5, session=session, shell=None, streams=())
    results = []
    thread = threading.Thread(target=lambda: results.append(session.send(None, "stream", stream("too long"))))
    with pytest.raises(OutputLimitExceeded):
        thread.start()
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:  # the main thread's own code, interrupted by the cap's signal
            time.sleep(0.01)
    thread.join()
    assert results == [None] and [m for m, *_ in session.sent] == ["stream"]  # only the notice went out


def test_between_cells_the_kernels_own_code_is_never_interrupted(session):
    fake, events = shell()
    output_cap.install(3, session=session, shell=fake, streams=())  # from a cell, which is over when it returns
    assert session.send(None, "stream", stream("a last flush")) is None  # dropped, nothing raised
    events.trigger("pre_run_cell", None)
    with pytest.raises(OutputLimitExceeded):
        session.send(None, "stream", stream("in a cell"))
    events.trigger("post_run_cell", None)
    signal.raise_signal(output_cap.SIGNAL)  # a late signal from a thread: ignored between cells
    assert session.send(None, "stream", stream("x")) is None


def test_lift_gives_back_the_sessions_send_and_the_signals_handler(session):
    handler = signal.getsignal(output_cap.SIGNAL)
    fake, events = shell()
    output_cap.install(1, session=session, shell=fake, streams=())
    output_cap.install(2, session=session, shell=fake, streams=())  # a second cap replaces the first
    output_cap.lift()
    assert "send" not in vars(session) and signal.getsignal(output_cap.SIGNAL) is handler
    assert events.callbacks["pre_run_cell"] == [] and events.callbacks["post_run_cell"] == []
    session.send(None, "stream", stream("as much as it likes"))
    output_cap.lift()  # nothing to lift: nothing happens


@pytest.mark.parametrize("limit", [0, -5, 1.5, True, "10"])
def test_a_limit_that_is_not_a_positive_integer_is_refused(session, limit):
    with pytest.raises(ValueError, match="positive number of characters"):
        output_cap.install(limit, session=session, shell=None, streams=())


def test_install_needs_a_kernel_or_a_session_and_the_main_thread(session):
    with pytest.raises(ValueError, match="inside a Jupyter kernel"):
        output_cap.install(10, shell=None, streams=())
    errors = []

    def from_thread():
        try:
            output_cap.install(10, session=session, shell=None, streams=())
        except ValueError as error:
            errors.append(str(error))

    thread = threading.Thread(target=from_thread)
    thread.start()
    thread.join()
    assert errors and "main thread" in errors[0]


def test_writes_are_counted_as_written_and_not_again_when_sent(session):
    page = Page()
    output_cap.install(12, session=session, shell=None, streams=[page])
    print("0123456789", file=page)  # 11 characters with the newline
    session.send(None, "stream", stream("0123456789\n"))  # ipykernel sending what was printed: not twice
    page.write("!")
    with pytest.raises(OutputLimitExceeded):
        page.write("!")
    with pytest.raises(OutputLimitExceeded):  # from the main thread, every further write raises
        print("?", file=page)
    assert page.getvalue().splitlines() == ["0123456789", "!", f"[output stopped: {output_cap._CAP.message()}]"]


def test_a_write_put_on_the_stream_during_a_cell_is_counted_once_and_the_cap_survives_its_removal(session):
    """What IPython does around every cell: keep a copy of what is written, then put back what it found."""
    page = Page()
    output_cap.install(8, session=session, shell=None, streams=[page])
    for _ in range(2):
        found = page.write
        copies = []

        def copying(text, found=found, copies=copies):
            copies.append(text)
            return found(text)

        page.write = copying
        page.write("abc")
        page.write = found
    assert copies == ["abc"] and page.getvalue() == "abcabc"  # 6 of 8 counted, not 12
    with pytest.raises(OutputLimitExceeded):
        page.write("abc")


def test_a_thread_writing_past_the_limit_is_dropped_and_stops_the_main_thread(session):
    page = Page()
    output_cap.install(5, session=session, shell=None, streams=[page])
    written = []
    thread = threading.Thread(target=lambda: written.extend(page.write("x" * 10) for _ in range(3)))
    with pytest.raises(OutputLimitExceeded):
        thread.start()
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            time.sleep(0.01)
    thread.join()
    assert written == [10, 10, 10]  # reported as written, so the writer goes on without an error
    assert page.getvalue() == f"\n[output stopped: {output_cap._CAP.message()}]\n"  # only the one line


def test_lift_gives_the_streams_their_own_class_back(session):
    page = Page()
    output_cap.install(1, session=session, shell=None, streams=[page])
    page.write = page.write  # what IPython leaves on the stream
    output_cap.lift()
    assert type(page) is Page and "_counted_write" not in vars(page)
    assert page.write("as much as it likes") == 19


def test_a_stream_whose_class_cannot_be_extended_is_refused_and_nothing_is_left_capped(session):
    page = Page()
    with pytest.raises(ValueError, match="cannot count what is written to a StringIO"):
        output_cap.install(1, session=session, shell=None, streams=[page, io.StringIO()])
    assert type(page) is Page and "send" not in vars(session)
    assert sys.stdout.write("") == 0


def test_displays_are_counted_in_characters_not_in_json_escapes(session):
    output_cap.install(30, session=session, shell=None, streams=())
    session.send(None, "display_data", {"data": {"text/plain": "é" * 10}})  # '{"text/plain": "éééééééééé"}': 28
    with pytest.raises(OutputLimitExceeded):
        session.send(None, "display_data", {"data": {"text/plain": "é"}})


def test_output_a_cell_clears_counts_no_more(session):
    fake, events = shell()
    output_cap.install(25, session=session, shell=fake, streams=())
    session.send(None, "stream", stream("before the cell"))  # 15, between cells: stays counted
    events.trigger("pre_run_cell", None)
    for _ in range(100):  # a plot redrawn a hundred times: only the last drawing is left
        session.send(None, "clear_output", {"wait": True})
        session.send(None, "stream", stream("0123456789"))
    with pytest.raises(OutputLimitExceeded):
        session.send(None, "stream", stream("!"))  # 15 + 10 left on the page: full


def test_widget_messages_count_like_output(session):
    output_cap.install(100, session=session, shell=None, streams=())
    session.send(None, "comm_open", {"comm_id": "1", "target_name": "t", "data": {}})
    with pytest.raises(OutputLimitExceeded):
        session.send(None, "comm_msg", {"comm_id": "1", "data": {"state": "x" * 100}})


def test_a_huge_error_is_sent_cut_to_size_and_never_counted(session):
    output_cap.install(10, session=session, shell=None, streams=())
    size = output_cap.ERROR_CHARACTERS
    error = {"status": "error", "ename": "ValueError", "evalue": "x" * (3 * size),
             "traceback": ["y" * (2 * size)] + ["frame"] * 300}
    for kind in ["error", "execute_reply"]:
        session.send(None, kind, error)
        sent = session.sent[-1][1]
        assert sent["evalue"] == "x" * size + f"... ({2 * size} more characters not shown)"
        assert sent["traceback"][0] == "y" * size + f"... ({size} more characters not shown)"
        assert len(sent["traceback"]) == 201 and sent["traceback"][100] == "... (101 more lines not shown)"
    assert error["evalue"] == "x" * (3 * size)  # the kernel's own copy is left alone
    short = {"status": "error", "ename": "ValueError", "evalue": "short", "traceback": ["one line"]}
    session.send(None, "error", short)
    assert session.sent[-1][1] is short

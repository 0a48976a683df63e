"""The abstract test suite every message log backend passes (needs pytest).

Subclass it in a test module, named `Test...`, and provide the log:

    class TestSQLiteLog(MessageLogContract):
        def make_log(self, tmp_path: Path) -> MessageLog:
            return SQLiteMessageLog(tmp_path / "log.db")

        def open_again(self, log: MessageLog) -> MessageLog | None:   # optional: a second
            return SQLiteMessageLog(log.path)                           # handle on the same store

`make_log` must return an empty log. Set `exclusive_claims = True` when `claim()` gives a worker to
one holder at a time (SQLite file locks, PostgreSQL advisory locks); tests that need `open_again`
skip without it.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from petrock_runtime._command import Command
from petrock_runtime._log import MessageLog
from petrock_runtime._message import DeadLetter

__all__ = ["ContractNote", "MessageLogContract"]


@dataclass(frozen=True)
class ContractNote(Command, name="contract/note"):
    """The command the contract suite appends."""

    text: str
    n: int = 0


def _notes(count: int, prefix: str = "note") -> list[ContractNote]:
    return [ContractNote(f"{prefix}-{i}", i) for i in range(count)]


class MessageLogContract:
    """Behaviour every `MessageLog` backend must have. Subclasses implement `make_log`."""

    exclusive_claims: bool = False

    def make_log(self, tmp_path: Path) -> MessageLog:
        """Return a new, empty log (tmp_path is a fresh directory)."""
        raise NotImplementedError

    def open_again(self, log: MessageLog) -> MessageLog | None:
        """A second, independent handle on the same store (as another process would open it),
        or None when the backend cannot (then the tests needing it skip)."""
        return None

    @pytest.fixture
    def log(self, tmp_path: Path) -> Iterator[MessageLog]:
        """The log under test, closed afterwards."""
        log = self.make_log(tmp_path)
        try:
            yield log
        finally:
            log.close()

    @pytest.fixture
    def other(self, log: MessageLog) -> Iterator[MessageLog]:
        """A second handle on the store of `log` (skips when the backend has none)."""
        other = self.open_again(log)
        if other is None:
            pytest.skip(f"{type(self).__name__} cannot open a second handle on one store")
        try:
            yield other
        finally:
            other.close()

    # -- appending and reading ---------------------------------------------------------------
    def test_empty_log(self, log: MessageLog) -> None:
        assert log.last_id() == 0
        assert log.read_after(0) == []
        assert log.read_after(0, 10) == []

    def test_append_returns_the_stored_message(self, log: MessageLog) -> None:
        before = datetime.now(UTC) - timedelta(seconds=5)
        note = ContractNote("hello", 1)
        message = log.append(note)
        assert message.id > 0
        assert message.type == "contract/note"
        assert message.data == note.to_json()
        assert message.payload == note
        assert message.timestamp.tzinfo is not None
        assert before <= message.timestamp <= datetime.now(UTC) + timedelta(seconds=5)
        assert log.last_id() == message.id

    def test_ids_increase(self, log: MessageLog) -> None:
        ids = [log.append(note).id for note in _notes(5)]
        assert ids == sorted(set(ids))
        assert log.last_id() == ids[-1]

    def test_read_after_in_order_without_payload(self, log: MessageLog) -> None:
        appended = [log.append(note) for note in _notes(7)]
        read = log.read_after(0)
        assert [m.id for m in read] == [m.id for m in appended]
        assert [m.data for m in read] == [m.data for m in appended]
        assert [m.type for m in read] == ["contract/note"] * 7
        assert all(m.payload is None for m in read)
        assert [m.timestamp for m in read] == [m.timestamp for m in appended]

    def test_read_after_position_and_limit(self, log: MessageLog) -> None:
        ids = [log.append(note).id for note in _notes(10)]
        assert [m.id for m in log.read_after(ids[3])] == ids[4:]
        assert [m.id for m in log.read_after(0, 3)] == ids[:3]
        assert [m.id for m in log.read_after(ids[2], 2)] == ids[3:5]
        assert log.read_after(ids[-1]) == []

    def test_append_many_is_ordered_and_readable(self, log: MessageLog) -> None:
        assert log.append_many([]) == []
        first = log.append(ContractNote("first"))
        batch = log.append_many(_notes(50))
        assert [m.payload for m in batch] == _notes(50)
        ids = [m.id for m in batch]
        assert ids == sorted(set(ids)) and ids[0] > first.id
        read = log.read_after(first.id, 100)
        assert [m.id for m in read] == ids
        assert [ContractNote.from_json(m.data) for m in read] == _notes(50)

    def test_data_round_trips_exactly(self, log: MessageLog) -> None:
        note = ContractNote('ünïcødé \u2603 "quoted" \\ ' + "x" * 100_000, -5)
        message = log.append(note)
        (read,) = log.read_after(message.id - 1, 1)
        assert read.data == note.to_json()
        assert ContractNote.from_json(read.data) == note

    def test_concurrent_appends_are_never_skipped_by_a_reader(self, log: MessageLog) -> None:
        writers, per_writer = 4, 60
        seen: list[int] = []
        done = threading.Event()

        def write(w: int) -> None:
            for note in _notes(per_writer, f"w{w}"):
                log.append(note)

        def read() -> None:
            position = 0
            while True:
                finished = done.is_set()
                for message in log.read_after(position, 17):
                    seen.append(message.id)
                    position = message.id
                if finished and log.read_after(position, 1) == []:
                    return

        reader = threading.Thread(target=read)
        reader.start()
        threads = [threading.Thread(target=write, args=(w,)) for w in range(writers)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        done.set()
        reader.join()
        every = [m.id for m in log.read_after(0, writers * per_writer + 10)]
        assert len(every) == writers * per_writer
        assert seen == every  # each id once, in order: none skipped by the live reader

    # -- waiting -------------------------------------------------------------------------------
    def test_wait_returns_at_once_when_messages_exist(self, log: MessageLog) -> None:
        log.append(ContractNote("x"))
        assert log.wait_for_new(0, 5.0) is True

    def test_wait_times_out_without_messages(self, log: MessageLog) -> None:
        last = log.append(ContractNote("x")).id
        started = time.monotonic()
        assert log.wait_for_new(last, 0.05) is False
        assert time.monotonic() - started < 5.0

    def test_append_in_this_process_wakes_a_waiter(self, log: MessageLog) -> None:
        result: list[bool] = []
        waiting = threading.Event()

        def wait() -> None:
            waiting.set()
            result.append(log.wait_for_new(0, 30.0))

        thread = threading.Thread(target=wait)
        thread.start()
        waiting.wait()
        started = time.monotonic()
        log.append(ContractNote("wake"))
        thread.join()
        assert result == [True]
        assert time.monotonic() - started < 5.0  # woken, not timed out

    # -- positions and dead letters --------------------------------------------------------------
    def test_positions(self, log: MessageLog) -> None:
        assert log.load_position("w") == 0
        log.commit("w", 5)
        log.commit("other", 2)
        assert log.load_position("w") == 5
        log.commit("w", 9)
        assert (log.load_position("w"), log.load_position("other")) == (9, 2)

    def test_dead_letters_commit_with_the_position(self, log: MessageLog) -> None:
        at = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
        first = DeadLetter("w", 3, "contract/note", "ValueError: bad", 5, at)
        second = DeadLetter("w", 4, "contract/other", "undecodable", 1, at)
        third = DeadLetter("v", 7, "contract/note", "boom", 2, at)
        assert log.dead_letters() == []
        log.commit("w", 4, [first, second])
        log.commit("v", 7, [third])
        assert log.load_position("w") == 4
        assert log.dead_letters("w") == [first, second]
        assert log.dead_letters("v") == [third]
        assert log.dead_letters() == [first, second, third]
        assert log.dead_letters("nobody") == []

    # -- several handles (processes) ---------------------------------------------------------
    def test_other_handle_sees_appends_and_positions(
        self, log: MessageLog, other: MessageLog
    ) -> None:
        message = log.append(ContractNote("shared"))
        assert [m.id for m in other.read_after(0)] == [message.id]
        assert other.last_id() == message.id
        log.commit("w", message.id)
        assert other.load_position("w") == message.id

    def test_other_handle_waiter_notices_appends(self, log: MessageLog, other: MessageLog) -> None:
        last = log.append(ContractNote("before")).id
        other.read_after(0)
        result: list[bool] = []
        waiting = threading.Event()

        def wait() -> None:
            waiting.set()
            result.append(other.wait_for_new(last, 30.0))

        thread = threading.Thread(target=wait)
        thread.start()
        waiting.wait()
        started = time.monotonic()
        log.append(ContractNote("after"))
        thread.join()
        assert result == [True]
        assert time.monotonic() - started < 10.0

    def test_claim_and_release(self, log: MessageLog) -> None:
        assert log.claim("w") is True
        log.release("w")
        assert log.claim("w") is True
        log.release("w")

    def test_claims_are_exclusive_when_the_backend_says_so(
        self, log: MessageLog, other: MessageLog
    ) -> None:
        if not self.exclusive_claims:
            pytest.skip("this backend lets every process claim every worker")
        assert log.claim("w") is True
        assert other.claim("w") is False
        assert other.claim("v") is True
        log.release("w")
        assert other.claim("w") is True
        other.release("w")
        other.release("v")

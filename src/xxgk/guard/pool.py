"""A pool of watched processes: each task runs in a confined child, which is killed at its deadline.

``WatchedPool.submit(fn, *args)`` gives a ``Future``. One thread of the parent (the watcher)
hands tasks to idle children, one task per child at a time, and waits on their pipes and
process sentinels until the nearest deadline: a reply settles the future; a child still busy
at its deadline is killed (SIGKILL, with whatever it started) and the future fails with
``ReadTimeout``; a child that dies fails it with ``MemoryExceeded`` or ``ReaderCrashed``.
``stop(future)`` kills the child of a running task (the web client left). Children are
reused, retired after ``max_tasks`` tasks or when idle, and die with the parent.

How children start (``start``): from a fork server that imported the package and parsed a
report once (``"forkserver"``, the default: a replacement for a killed child starts warm in
milliseconds; for the web app and ingest), or forked straight from this process (``"fork"``: for a
one-off command, whose process has imported little and runs no other threads; the child imports
what it needs, ``preload``, while the command goes on with its own work, so that nothing waits
for a fork server to import everything first). The limits are the same either way.

With ``Limits(trusted=True)`` tasks run in the caller's thread, without limits.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import socket
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, wait
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from multiprocessing.connection import wait as wait_for
from pathlib import Path
from typing import Any, TypeVar

from xxgk.guard.child import outcome, serve
from xxgk.guard.limits import (
    Busy,
    Limits,
    MemoryExceeded,
    ReaderCrashed,
    ReadTimeout,
    Stopped,
    memory_message,
    timeout_message,
)
from xxgk.read.document import ReadError

T = TypeVar("T")
A = TypeVar("A")

# Children are started from a fork server that imported the package and parsed a report once: a
# child replacing one that was killed starts warm in milliseconds instead of importing everything again.
_PRELOAD = ("xxgk.guard.warm",)
# Until a child has unpickled its task (imported the task's modules), the task's time has not started.
_START_SECONDS = 120.0
_IDLE_SECONDS = 30.0
_MAX_TASKS = 500
_KILL_WAIT = 5.0


START_METHODS = ("forkserver", "fork")


def _context(preload: tuple[str, ...], start: str) -> multiprocessing.context.BaseContext:
    """``start`` where the system has it; else the fork server (Linux, macOS), else spawn (Windows).

    ``preload``: modules for the fork server to import (only the first pool of a process starts it).
    """
    methods = multiprocessing.get_all_start_methods()
    if start == "fork" and "fork" in methods:
        return multiprocessing.get_context("fork")
    if "forkserver" in methods:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(list(dict.fromkeys(_PRELOAD + preload)))
        return context
    return multiprocessing.get_context("spawn")


@dataclass(eq=False, slots=True)
class _Task:
    future: Future[Any]
    fn: Callable[..., Any]
    args: tuple[Any, ...]
    seconds: float
    label: str
    deadline: float = 0.0
    started: bool = False


@dataclass(eq=False, slots=True)
class _Child:
    process: Any  # multiprocessing.Process (its type depends on the context)
    conn: Connection
    task: _Task | None = None
    done: int = 0
    idle_since: float = field(default_factory=time.monotonic)


class WatchedPool:
    """Run tasks in at most ``workers`` watched processes, each task within ``limits``.

    ``initializer(*initargs)`` runs in each child when it starts (after its confinement).
    ``max_waiting`` bounds the tasks waiting for a child: more fail at once with ``Busy``.
    ``preload`` names modules the tasks need, for the fork server to import once (if this pool starts
    it), or for each forked child to import before its first task (``start="fork"``).
    Thread-safe; use as a context manager or call ``close``.
    """

    def __init__(self, limits: Limits | None = None, workers: int = 1, *,
                 initializer: Callable[..., object] | None = None, initargs: tuple[Any, ...] = (),
                 max_waiting: int | None = None, idle_seconds: float = _IDLE_SECONDS,
                 max_tasks: int = _MAX_TASKS, preload: tuple[str, ...] = (), start: str = "forkserver") -> None:
        if workers < 1:
            raise ValueError("workers must be at least 1")
        if start not in START_METHODS:
            raise ValueError(f"start must be one of {START_METHODS}")
        self.limits = limits or Limits()
        self.workers = workers
        self._initializer = initializer
        self._initargs = initargs
        self._max_waiting = max_waiting
        self._idle_seconds = idle_seconds
        self._max_tasks = max_tasks
        self._preload = preload
        self._start_method = start
        self._lock = threading.Lock()
        self._waiting: deque[_Task] = deque()
        self._stopping: set[Future[Any]] = set()
        self._children: list[_Child] = []
        self._handing = 0  # tasks taken from the queue, not yet with a child
        self._watcher: threading.Thread | None = None
        self._closed = False
        self._wake_r, self._wake_w = socket.socketpair()
        self._wake_r.setblocking(False)
        self._wake_w.setblocking(False)
        self._trusted_initialised = False

    # --- the caller's side -------------------------------------------------------------------

    def submit(self, fn: Callable[..., T], *args: Any, seconds: float | None = None, label: str = "") -> Future[T]:
        """Run ``fn(*args)`` in a watched process; ``seconds`` replaces the time limit for this task.

        ``label`` names the document in the errors (读取超时……：label).
        """
        future: Future[T] = Future()
        if self.limits.trusted:
            self._run_here(future, fn, args, label)
            return future
        task = _Task(future, fn, args, self.limits.seconds if seconds is None else seconds, label)
        with self._lock:
            if self._closed:
                raise RuntimeError("the pool is closed")
            busy = sum(c.task is not None for c in self._children) + self._handing
            if self._max_waiting is not None and len(self._waiting) + busy >= self.workers + self._max_waiting:
                future.set_exception(Busy("正在读取的文件太多，请稍后再试"))
                return future
            self._waiting.append(task)
            if self._watcher is None:
                self._watcher = threading.Thread(target=self._watch, name="xxgk-guard", daemon=True)
                self._watcher.start()
        self._wake()
        return future

    def run(self, fn: Callable[..., T], *args: Any, seconds: float | None = None, label: str = "",
            gone: Callable[[], bool] | None = None, poll: float = 0.5) -> T:
        """Run ``fn(*args)`` in a watched process and wait for its value (or its error).

        ``gone()`` is asked every ``poll`` seconds while waiting: once true (the client left),
        the task is stopped and its process killed.
        """
        future = self.submit(fn, *args, seconds=seconds, label=label)
        if gone is None:
            return future.result()
        while True:
            try:
                return future.result(timeout=poll)
            except TimeoutError:
                if gone():
                    self.stop(future)
                    return future.result()

    def prestart(self) -> None:
        """Start the watched processes now, from the calling thread, rather than at the first task.

        With ``start="fork"`` a command calls it once it has imported what the children share with
        it and before it imports anything else, so that the children's start overlaps its own work.
        """
        if self.limits.trusted:
            return
        while True:
            with self._lock:
                if self._closed or len(self._children) >= self.workers:
                    break
            try:
                self._start()
            except Exception:  # the first task tries again, and fails with the reason if it fails too
                break
        with self._lock:
            if self._watcher is None:  # it retires idle children and ends them with the pool
                self._watcher = threading.Thread(target=self._watch, name="xxgk-guard", daemon=True)
                self._watcher.start()

    def map_unordered(self, fn: Callable[[A], T], items: Iterable[A], *, window: int | None = None,
                      seconds: Callable[[A], float | None] | None = None,
                      label: Callable[[A], str] | None = None,
                      weight: Callable[[A], int] | None = None, max_weight: int | None = None,
                      ) -> Iterator[tuple[A, T | BaseException]]:
        """``fn`` over ``items`` in the pool: (item, value or the exception it ended with), as they finish.

        At most ``window`` items are in flight (and ``max_weight`` of their ``weight``), so a long
        list costs little memory; the watcher keeps the children busy while the caller is away.
        """
        limit = window or self.workers * 4
        queue = iter(items)
        pending: dict[Future[T], A] = {}
        load = 0
        exhausted = False
        while True:
            while not exhausted and len(pending) < limit and (not pending or max_weight is None or load < max_weight):
                item = next(queue, None)
                if item is None:
                    exhausted = True
                    break
                future = self.submit(fn, item, seconds=seconds(item) if seconds else None,
                                     label=label(item) if label else "")
                pending[future] = item
                load += weight(item) if weight else 0
            if not pending:
                return
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                item = pending.pop(future)
                load -= weight(item) if weight else 0
                error = future.exception()
                yield (item, error) if error is not None else (item, future.result())

    def stop(self, future: Future[Any]) -> None:
        """Stop a task: dropped if it waits, its process killed if it runs (it fails with ``Stopped``)."""
        if future.cancel():
            return
        with self._lock:
            self._stopping.add(future)
        self._wake()

    def pids(self) -> list[int]:
        """The process ids of the watched processes now running (for monitoring)."""
        with self._lock:
            return [c.process.pid for c in self._children if c.process.pid is not None]

    def close(self) -> None:
        """Stop every task and end every process (waiting tasks fail with ``Stopped``)."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            watcher = self._watcher
        self._wake()
        if watcher is not None and watcher is not threading.current_thread():
            watcher.join()
        self._wake_r.close()
        self._wake_w.close()

    def __enter__(self) -> WatchedPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _wake(self) -> None:
        with contextlib.suppress(BlockingIOError, OSError):
            self._wake_w.send(b"\0")

    def _run_here(self, future: Future[Any], fn: Callable[..., Any], args: tuple[Any, ...], label: str) -> None:
        """Trusted: run in the caller's thread, errors as a watched process would give them."""
        if not self._trusted_initialised and self._initializer is not None:
            self._initializer(*self._initargs)
        self._trusted_initialised = True
        future.set_running_or_notify_cancel()
        self._settle(future, outcome(fn, args), label)

    # --- the watcher's side --------------------------------------------------------------------

    def _watch(self) -> None:
        """The watcher thread: hand out tasks, collect replies, kill at deadlines, retire idle children."""
        try:
            while self._step():
                pass
        except BaseException as err:  # a bug here must not leave callers waiting for ever
            self._abandon(ReaderCrashed(f"内部错误：读取进程的看守线程出错（{type(err).__name__}: {err}），请报告此问题"))
            raise
        if self._closed:
            self._abandon(Stopped("读取已停止"))

    def _abandon(self, error: ReadError) -> None:
        """End every child and fail every task with ``error``; the next submit starts afresh."""
        for child in list(self._children):
            self._end(child, error)
        with self._lock:
            waiting = list(self._waiting)
            self._waiting.clear()
            self._watcher = None
        for task in waiting:
            if task.started or task.future.set_running_or_notify_cancel():
                task.future.set_exception(error)

    def _step(self) -> bool:
        """One round of the watcher; False when it should end (closed, or nothing left to do)."""
        with self._lock:
            if self._closed:
                return False
            stopping, self._stopping = self._stopping, set()
        for child in [c for c in self._children if c.task is not None and c.task.future in stopping]:
            self._end(child, Stopped("读取已停止"))
        self._hand_out()
        now = time.monotonic()
        busy = [c for c in self._children if c.task is not None]
        for child in [c for c in self._children if c.task is None]:
            if child.done >= self._max_tasks or now - child.idle_since >= self._idle_seconds:
                self._end(child, None)
        with self._lock:
            if not busy and not self._waiting and not self._stopping and not self._children:
                self._watcher = None  # the next submit starts a new watcher
                return False
        timeout = min([c.task.deadline - now for c in busy if c.task] + [self._idle_seconds])
        objects: list[Any] = [self._wake_r]
        for child in busy:
            objects += [child.conn, child.process.sentinel]
        ready = set(wait_for(objects, max(timeout, 0.0)))
        if self._wake_r in ready:
            with contextlib.suppress(BlockingIOError, OSError):
                while self._wake_r.recv(4096):
                    pass
        for child in busy:
            if child.conn in ready or child.process.sentinel in ready:
                self._collect(child)
        now = time.monotonic()
        for child in busy:
            task = child.task
            if task is not None and now >= task.deadline:
                self._end(child, ReadTimeout(timeout_message(task.seconds, task.label)))
        return True

    def _hand_out(self) -> None:
        """Give waiting tasks to idle children, starting children up to ``workers``."""
        while True:
            with self._lock:
                if not self._waiting:
                    return
                idle = next((c for c in self._children if c.task is None), None)
                if idle is None and len(self._children) >= self.workers:
                    return
                task = self._waiting.popleft()
                # Neither waiting nor with a child while a child starts for it: ``submit`` still counts it.
                self._handing += 1
            child: _Child | None = None
            try:
                child = self._child_for(task, idle)
            finally:
                with self._lock:
                    self._handing -= 1
                    if child is not None:
                        child.task = task
            if child is None:
                continue
            try:
                child.conn.send((task.fn, task.args))
            except OSError:  # the child died while idle: its task goes to the next one
                with self._lock:
                    child.task = None
                    self._waiting.appendleft(task)
                self._end(child, None)
            except Exception as err:  # the task cannot be pickled: the caller's mistake
                child.task = None
                task.future.set_exception(err)

    def _child_for(self, task: _Task, idle: _Child | None) -> _Child | None:
        """The child to run ``task`` (``idle``, or one started for it); None if the task ended instead."""
        if not task.started:
            if not task.future.set_running_or_notify_cancel():
                return None  # cancelled while it waited
            task.started = True
        child = idle
        if child is None:
            try:
                child = self._start()
            except Exception as err:
                task.future.set_exception(ReaderCrashed(f"无法启动读取进程（{type(err).__name__}: {err}）"))
                return None
        task.deadline = time.monotonic() + _START_SECONDS + task.seconds
        return child

    def _start(self) -> _Child:
        context = _context(self._preload, self._start_method)
        ours, theirs = context.Pipe(duplex=True)
        process = context.Process(target=serve, args=(theirs, self.limits, self._initializer,  # type: ignore[attr-defined]
                                                      self._initargs, self._preload), name="xxgk-reader", daemon=True)
        process.start()
        theirs.close()
        child = _Child(process, ours)
        with self._lock:
            self._children.append(child)
        return child

    def _collect(self, child: _Child) -> None:
        """Take a busy child's reply, or learn that it died."""
        task = child.task
        assert task is not None
        try:
            reply = child.conn.recv() if child.conn.poll() else None
        except (EOFError, OSError):
            reply = None
        except Exception as err:  # a reply that cannot be unpickled
            reply = ("raised", RuntimeError(f"{type(err).__name__}: {err}"))
        if reply is None:
            child.process.join(_KILL_WAIT)
            self._end(child, self._death(child.process.exitcode, task))
            return
        if reply[0] == "started":
            task.deadline = time.monotonic() + task.seconds
            if child.conn.poll():  # done already
                self._collect(child)
            return
        child.task = None
        child.done += 1
        child.idle_since = time.monotonic()
        self._settle(task.future, reply, task.label)
        if reply[0] == "memory":
            self._end(child, None)  # it exits by itself: its heap ran out once

    def _death(self, exitcode: int | None, task: _Task) -> ReadError:
        """What a child's unexpected end means for its task."""
        if exitcode is not None and exitcode < 0:
            number = -exitcode
            if number == getattr(signal, "SIGXCPU", -1):
                return ReadTimeout(timeout_message(task.seconds, task.label))
            if number == signal.SIGKILL:  # not ours: the system's out-of-memory killer
                return MemoryExceeded(memory_message(self.limits.memory_mb, task.label))
            name = signal.Signals(number).name if number in signal.valid_signals() else str(number)
            return ReaderCrashed(_crash_message(f"信号 {name}", task.label))
        return ReaderCrashed(_crash_message(f"退出码 {exitcode}", task.label))

    def _settle(self, future: Future[Any], reply: tuple[str, Any], label: str) -> None:
        kind, value = reply
        if future.done():
            return
        if kind == "ok":
            future.set_result(value)
        elif kind == "memory":
            future.set_exception(MemoryExceeded(memory_message(self.limits.memory_mb, label)))
        else:
            future.set_exception(value)

    def _end(self, child: _Child, error: BaseException | None) -> None:
        """End a child (killed, with everything it started) and fail its task with ``error``."""
        task, child.task = child.task, None
        with self._lock:
            if child in self._children:
                self._children.remove(child)
        if error is None and task is None and child.process.is_alive():
            with contextlib.suppress(OSError, ValueError):
                child.conn.send(None)  # an idle child leaves by itself
            child.process.join(1.0)
        if child.process.is_alive():
            kill_tree(child.process.pid)
            child.process.join(_KILL_WAIT)
        child.conn.close()
        with contextlib.suppress(ValueError, AttributeError):
            child.process.close()
        if task is not None and not task.future.done():
            task.future.set_exception(error or Stopped("读取已停止"))


def _crash_message(how: str, label: str) -> str:
    text = f"读取进程异常退出（{how}），文件可能已损坏"
    return f"{text}：{label}" if label else text


def kill_tree(pid: int) -> None:
    """SIGKILL a process and every process it started (LibreOffice runs in a session of its own)."""
    for victim in [*descendants(pid), pid]:
        with contextlib.suppress(OSError):
            os.kill(victim, signal.SIGKILL)


def descendants(pid: int) -> list[int]:
    """The processes below ``pid`` (children, theirs, …), from /proc; none where there is no /proc."""
    proc = Path("/proc")
    if not proc.is_dir():
        return []
    parents: dict[int, list[int]] = {}
    for stat in proc.glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        parents.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found: list[int] = []
    todo = [pid]
    while todo:
        for child in parents.get(todo.pop(), []):
            if child not in found:
                found.append(child)
                todo.append(child)
    return found

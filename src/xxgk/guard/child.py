"""The watched process's side: it confines itself, then runs the tasks its pipe brings until told to stop.

Confinement happens before any document is seen: memory limits the document cannot raise
again (soft and hard), no core files, output to the null device (a reader's log line or a
native library's noise never reaches the user's terminal or the JSON on stdout), Ctrl-C left
to the parent, and death with the parent. Each task's outcome goes back as a small tuple
(``outcome``); exceptions are sent only if they survive the trip.
"""

from __future__ import annotations

import contextlib
import importlib
import logging
import os
import signal
import sys
import threading
import time
import warnings
from collections.abc import Callable
from multiprocessing.connection import Connection
from multiprocessing.reduction import ForkingPickler
from typing import Any

from xxgk.guard.limits import Limits
from xxgk.read.document import ReadError

# What a task's outcome is, as sent back: ("ok", value) | ("raised", exception) | ("memory", None);
# before it, ("started", None) once the task is unpickled (its modules imported).
Outcome = tuple[str, Any]
Task = tuple[Callable[..., Any], tuple[Any, ...]]

DEEP_MESSAGE = "文件结构嵌套过深或对象相互引用成环，无法读取（文件可能已损坏或是恶意构造的）"
_PR_SET_PDEATHSIG = 1


def serve(conn: Connection, limits: Limits, initializer: Callable[..., object] | None,
          initargs: tuple[Any, ...], preload: tuple[str, ...] = ()) -> None:
    """A watched process's life: confine, import, initialise, then one task at a time until ``None`` or EOF.

    ``preload``: modules its tasks need (loaded already when it was forked from a fork server that has them).
    """
    confine(limits)
    for name in preload:
        importlib.import_module(name)
    if initializer is not None:
        initializer(*initargs)
    while True:
        try:
            message: Task | None = conn.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        conn.send(("started", None))  # the task's modules are imported: its time starts now
        fn, args = message
        _cpu_backstop(limits)
        result = outcome(fn, args)
        conn.send(_sendable(result))
        if result[0] == "memory":
            return  # a heap that ran out once is not to be trusted with the next document


def outcome(fn: Callable[..., Any], args: tuple[Any, ...]) -> Outcome:
    """Run a task; its value or what stopped it (the same in the watched process and in the caller's)."""
    try:
        return ("ok", fn(*args))
    except MemoryError:
        return ("memory", None)
    except ReadError as err:
        return ("raised", err)
    except Exception as err:
        if _caused_by(err, RecursionError):  # pdfminer wraps it: a loop or a depth in the file, not a bug
            return ("raised", ReadError(DEEP_MESSAGE))
        if _caused_by(err, MemoryError):
            return ("memory", None)
        return ("raised", err)


def _caused_by(err: BaseException, kind: type[BaseException]) -> bool:
    """Whether ``err`` is, or wraps (cause, context or argument), an exception of ``kind``."""
    seen: set[int] = set()
    todo: list[BaseException] = [err]
    while todo:
        current = todo.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, kind):
            return True
        todo.extend(e for e in (current.__cause__, current.__context__, *current.args) if isinstance(e, BaseException))
    return False


def _sendable(result: Outcome) -> Outcome:
    """The outcome as it can be sent: an exception that cannot be pickled becomes a plain one."""
    kind, value = result
    if kind != "raised":
        return result
    try:
        ForkingPickler.loads(ForkingPickler.dumps(value))
    except Exception:
        # A reader's error keeps its Chinese message and its kind, whatever its own constructor takes.
        if isinstance(value, ReadError):
            return ("raised", ReadError(str(value)))
        return ("raised", RuntimeError(f"{type(value).__name__}: {value}"))
    return result


def confine(limits: Limits) -> None:
    """Limit this process before it reads anything: memory, core files, output, signals, lifetime."""
    _limit_memory(limits)
    _silence()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    _die_with_parent()


def _limit_memory(limits: Limits) -> None:
    """RLIMIT_DATA (heap and private mappings) at the limit; RLIMIT_AS, looser, for reserved space too.

    Soft and hard limits alike: the process cannot raise them back. ONNX Runtime and thread
    stacks reserve address space they never use, hence the room left in RLIMIT_AS. The limits
    are counted beyond what the process holds when confined: a child forked from a large caller
    (a notebook, a test run that loaded OCR models) inherits its mappings, which no document made.
    """
    try:
        import resource
    except ImportError:  # Windows: no rlimits (the time limit still holds)
        return
    data, size = _held()
    for name, value in (("RLIMIT_DATA", data + limits.memory_bytes), ("RLIMIT_AS", size + 4 * limits.memory_bytes),
                        ("RLIMIT_CORE", 0)):
        which = getattr(resource, name, None)
        if which is None:
            continue
        _, hard = resource.getrlimit(which)
        value = value if hard == resource.RLIM_INFINITY else min(value, hard)
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(which, (value, value))


def _held() -> tuple[int, int]:
    """The data and the address space this process holds (Linux's VmData and VmSize), in bytes; 0 where unknown."""
    held = {"VmData:": 0, "VmSize:": 0}
    with contextlib.suppress(OSError, ValueError, IndexError), \
            open("/proc/self/status", encoding="ascii", errors="replace") as status:
        for line in status:
            words = line.split()  # "VmData:", the number, "kB"
            if words and words[0] in held:
                held[words[0]] = int(words[1]) * 1024
    return held["VmData:"], held["VmSize:"]


def _cpu_backstop(limits: Limits) -> None:
    """CPU time for this task: what was used so far plus the backstop (SIGXCPU ends the process)."""
    try:
        import resource
    except ImportError:
        return
    used = resource.getrusage(resource.RUSAGE_SELF)
    spent = int(used.ru_utime + used.ru_stime) + 1
    _, hard = resource.getrlimit(resource.RLIMIT_CPU)
    soft = spent + limits.cpu_seconds
    if hard != resource.RLIM_INFINITY:
        soft = min(soft, hard)
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_CPU, (soft, hard))


def _silence() -> None:
    """Standard output and error to the null device; log records and warnings dropped."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        for stream, fd in ((sys.stdout, 1), (sys.stderr, 2)):
            if stream is not None:
                stream.flush()
            os.dup2(devnull, fd)
    finally:
        os.close(devnull)
    root = logging.getLogger()
    root.handlers[:] = [logging.NullHandler()]
    logging.lastResort = None
    warnings.simplefilter("ignore")


def _die_with_parent() -> None:
    """End with the parent: the kernel's parent-death signal on Linux, a watching thread elsewhere."""
    parent = os.getppid()
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            if libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0:
                if os.getppid() != parent:  # the parent died before the signal was armed
                    os._exit(1)
                return
        except (OSError, AttributeError):
            pass
    threading.Thread(target=_exit_with_parent, args=(parent,), daemon=True).start()


def _exit_with_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(1)

"""Stopping a command cleanly when a signal asks it to: SIGTERM, SIGHUP and SIGINT.

While a command runs (:func:`signals_stop_cleanly`), each of those signals raises an exception
in the main thread: :class:`~cmo_xl.errors.Interrupted` (SIGTERM, SIGHUP) or
``KeyboardInterrupt`` (SIGINT), so every ``finally`` runs: staged files are removed, external
programs are ended, temporary folders go. Three ways a signal could still be lost are closed:

* Inside :func:`deferred` (starting a process, ending it, removing what it left, moving a file
  into place) the signal is held and raised when the block ends, so a cleanup is never cut in
  half and a process is never started unrecorded.
* Raised inside a finaliser (``ZipFile.__del__`` while a reader closes an archive), the
  exception is dropped by Python, which prints "Exception ignored" and carries on
  (``sys.unraisablehook``). The hook installed here delivers it again 10 ms later, through
  SIGALRM, outside the finaliser.
* A library that catches every exception (openpyxl's descriptors use a bare ``except:``) turns
  it into another error or swallows it; :func:`received` says what came, and :func:`check`
  raises it again before anything is published.
"""

from __future__ import annotations

import contextlib
import signal
import sys
from collections.abc import Callable, Iterator
from types import FrameType
from typing import Any

from cmo_xl.errors import Interrupted

#: Signals that stop a command cleanly. SIGINT raises KeyboardInterrupt, as Python's own does.
STOP_SIGNALS = (signal.SIGTERM, signal.SIGHUP, signal.SIGINT)
#: How long after a dropped exception it is raised again, in seconds.
REDELIVERY_DELAY = 0.01

_received: list[int] = []
_held: list[int] = []
_depth = [0]
_active = [False]  # inside signals_stop_cleanly: what was received still stands


def received() -> int | None:
    """The first stop signal received while the command ran, or None."""
    return _received[0] if _received else None


def _stop(signum: int) -> BaseException:
    return KeyboardInterrupt() if signum == signal.SIGINT else Interrupted(signum)


def _on_signal(signum: int, _: FrameType | None) -> None:
    _received.append(signum)
    if _depth[0]:
        _held.append(signum)
        return
    raise _stop(signum)


def _on_alarm(_: int, __: FrameType | None) -> None:
    if _received and not _depth[0]:
        raise _stop(_received[0])


def check() -> None:
    """Raise the stop a signal asked for, if a library swallowed it; call before publishing.
    Outside :func:`signals_stop_cleanly` (the library used from Python) it does nothing."""
    if _received and _active[0]:
        raise _stop(_received[0])


@contextlib.contextmanager
def deferred() -> Iterator[None]:
    """Hold stop signals until the block ends; then raise the first one held."""
    _depth[0] += 1
    try:
        yield
    finally:
        _depth[0] -= 1
        if not _depth[0] and _held:
            signum = _held[0]
            _held.clear()
            raise _stop(signum)


def _redeliver(previous: Callable[[Any], object]) -> Callable[[Any], object]:
    def hook(unraisable: Any) -> None:
        if isinstance(unraisable.exc_value, Interrupted | KeyboardInterrupt):
            signal.setitimer(signal.ITIMER_REAL, REDELIVERY_DELAY)
            return
        previous(unraisable)

    return hook


@contextlib.contextmanager
def signals_stop_cleanly() -> Iterator[None]:
    """Turn the stop signals into exceptions while the block runs (in the main thread only)."""
    previous: list[tuple[int, Any]] = []
    _received.clear()
    _held.clear()
    _depth[0] = 0
    hook = sys.unraisablehook
    try:
        for sig in STOP_SIGNALS:
            previous.append((sig, signal.signal(sig, _on_signal)))
        previous.append((signal.SIGALRM, signal.signal(signal.SIGALRM, _on_alarm)))
    except ValueError:  # not the main thread: leave the signals as they are
        pass
    sys.unraisablehook = _redeliver(hook)
    _active[0] = True
    try:
        yield
    finally:
        _active[0] = False
        signal.setitimer(signal.ITIMER_REAL, 0)
        sys.unraisablehook = hook
        for number, handler in previous:
            signal.signal(number, handler)

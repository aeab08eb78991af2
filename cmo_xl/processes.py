"""Running an external program (LibreOffice, poppler) so that nothing of it outlives the call.

LibreOffice's ``soffice`` is a script that starts ``oosplash``, which starts ``soffice.bin``:
killing the process Python started leaves the real one running, and it goes on to write its
output after the command has said that nothing was written. So each program starts in a
session and process group of its own (``start_new_session``, setsid(2)), and when the call
ends, whatever way (done, timed out, a signal, an error), every process left in the group is
sent SIGTERM, then SIGKILL, and the call returns only once none runs. A signal that arrives
while the program starts or while its group is ended is held until that is done
(:func:`cmo_xl.stopping.deferred`).
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from cmo_xl import stopping
from cmo_xl.errors import RecalcError

#: How long a program may take by default, in seconds (``--timeout`` sets it): LibreOffice
#: recalculates and prints the largest workbook cmo_xl builds in about a minute here.
DEFAULT_TIMEOUT = 600.0
#: How long a group gets to end after SIGTERM before SIGKILL, and after SIGKILL, in seconds.
GRACE = 3.0


@dataclass(frozen=True)
class Finished:
    returncode: int
    stdout: str
    stderr: str


def run(
    command: Sequence[str],
    *,
    timeout: float,
    what: str,
    option: str = "--timeout",
    env: dict[str, str] | None = None,
) -> Finished:
    """Run ``command`` to its end, or stop it (and everything it started) after ``timeout``
    seconds with a :class:`RecalcError` that names ``what`` ran and the ``option`` that gives
    it more time."""
    process: subprocess.Popen[str] | None = None
    try:
        # held until the process is recorded, so a signal cannot fall between its start and
        # the ``finally`` that ends its group (a stop held here is raised inside this ``try``)
        with stopping.deferred():
            try:
                process = subprocess.Popen(
                    list(command),
                    stdin=subprocess.DEVNULL,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                    text=True,
                    errors="replace",
                    env=env,
                    start_new_session=True,
                )
            except OSError as exc:  # found on PATH, but it cannot run (a bad interpreter line)
                raise RecalcError(
                    f"{what} could not be started ({Path(command[0]).name}: {exc.strerror or exc})"
                ) from None
        out, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        raise RecalcError(
            f"{what} did not finish within {timeout:g} s and was stopped; give it longer "
            f"with {option} SECONDS"
        ) from None
    finally:
        if process is not None:
            with stopping.deferred():
                end_group(process)
    return Finished(process.returncode, out, err)


def end_group(process: subprocess.Popen[str]) -> None:
    """End every process of ``process``'s group: SIGTERM, then SIGKILL; wait until none runs."""
    group = process.pid  # a session leader's group id is its pid
    for sig, grace in ((signal.SIGTERM, GRACE), (signal.SIGKILL, GRACE)):
        if not _alive(group, process):
            break
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(group, sig)
        deadline = time.monotonic() + grace
        while _alive(group, process) and time.monotonic() < deadline:
            time.sleep(0.02)
    with contextlib.suppress(OSError, ValueError):
        process.communicate(timeout=GRACE)  # reap it and close its pipes


def _alive(group: int, process: subprocess.Popen[str]) -> bool:
    process.poll()  # reap the leader, so its zombie does not count
    members = _members(group)
    if members is not None:
        return bool(members)
    try:
        os.killpg(group, 0)
    except (ProcessLookupError, PermissionError):
        return False
    return True


def _members(group: int) -> list[int] | None:
    """The pids of ``group`` that still run (zombies left out: in a container without an init
    nobody may reap them), read from /proc; None where there is no /proc."""
    proc = Path("/proc")
    if not (proc / "self" / "stat").exists():
        return None
    found = []
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # pid (comm) state ppid pgrp ...: comm may hold spaces and parentheses
        fields = stat[stat.rfind(")") + 2 :].split()
        if len(fields) > 2 and fields[2] == str(group) and fields[0] not in ("Z", "X"):
            found.append(int(entry.name))
    return found

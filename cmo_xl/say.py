"""What a command prints: every line escaped, a closed pipe or a full disk handled."""

from __future__ import annotations

import contextlib
import os
import sys

from cmo_xl.text import printable

#: Exit codes: 0 ok, 1 a problem with the input or a file, 2 usage.
EXIT_OK, EXIT_PROBLEM, EXIT_USAGE = 0, 1, 2


def say(lines: list[str]) -> bool:
    """Print to standard output; False if it cannot be written (a full disk, a closed pipe).

    A reader that closed the pipe (``| head -1``) is not an error. Either way standard output is
    pointed at /dev/null, so that Python's own flush at exit does not fail again (the recipe in
    the Python docs, ``signal`` module, "Note on SIGPIPE").
    """
    try:
        for line in lines:
            print(printable(line), flush=True)
    except BrokenPipeError:
        silence_stdout()
        return True
    except OSError:
        silence_stdout()
        return False
    return True


def silence_stdout() -> None:
    with contextlib.suppress(OSError, ValueError, AttributeError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


def warn(text: str) -> None:
    with contextlib.suppress(OSError):
        print(printable(text), file=sys.stderr, flush=True)

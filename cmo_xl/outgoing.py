"""Every file cmo_xl writes goes through here: checked before any work, written whole or not at
all, and never over a file the command reads.

* :func:`check_output`, before anything runs: the name's suffix and length, the folder (it
  exists, is a folder and can be written in), a file already there (only with ``--force``, and
  only a regular file: a device or a pipe is never replaced), and the files the command reads
  (the spec, the workbook), which no output may be, under any name (a link, another spelling).
* :func:`write_file` and :func:`write_folder`: the content goes into a staged file (or folder)
  beside the output, which is moved into place only once it is whole, after a last look for a
  signal a library swallowed. The staged file gets the mode a new file would get, or, with
  ``--force``, the mode of the file it replaces, so a private file stays private. A signal, a
  full disk or any error removes it; a SIGKILL leaves it to the next write into that folder
  (:func:`remove_stale_staged_files`).
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import shutil
import stat
from collections.abc import Callable, Sequence
from pathlib import Path

from cmo_xl import stopping
from cmo_xl.errors import OutputError

#: Staged files and folders are named ``.cmo_xl-<pid>-<random>.tmp``: a fixed length whatever
#: the output's name, and recognisable, so one a SIGKILL left is removed by the next write into
#: the same folder once the process that made it is gone.
STAGED_PREFIX = ".cmo_xl-"
STAGED_SUFFIX = ".tmp"

#: A file the command reads, and how a message calls it ("the workbook being read").
Source = tuple[Path, str]


def check_output(
    out: Path,
    *,
    suffixes: Sequence[str],
    force: bool,
    sources: Sequence[Source] = (),
    folder: bool = False,
) -> None:
    """Fail before any work if ``out`` (a file, or with ``folder`` a folder of files) cannot or
    must not be written."""
    if not folder and out.suffix.lower() not in suffixes:
        raise OutputError(
            f"{out}: the name must end in {' or '.join(suffixes)} "
            f"(got {out.suffix or 'no suffix'!r})"
        )
    limit = _name_max(out.parent)
    if len(os.fsencode(out.name)) > limit:
        raise OutputError(
            f"{out}: the file name has {len(os.fsencode(out.name))} bytes; this file system "
            f"allows {limit}"
        )
    try:
        for source, what in sources:
            if _same_file(source, out):
                raise OutputError(f"{out}: is {what}; choose another output file")
        parent = out.parent
        if not parent.is_dir():
            problem = "is a file, not a folder" if parent.exists() else "does not exist"
            raise OutputError(f"{out}: the folder {parent} {problem}")
        if not os.access(parent, os.W_OK | os.X_OK):
            raise OutputError(f"{out}: cannot write (the folder {parent} is not writable)")
        _probe(out, parent)
        if folder:
            _check_folder(out, force)
        else:
            _check_file(out, force)
    except OSError as exc:
        raise OutputError(f"{out}: cannot use this path ({exc.strerror or exc})") from None


def _probe(out: Path, parent: Path) -> None:
    """Make and remove a staged file: the one sure test that the folder takes new files (a
    read-only disk, /proc, or root's access(2), which ignores mode bits)."""
    try:
        with stopping.deferred():
            _stage(parent).unlink()
    except OSError as exc:
        raise OutputError(f"{out}: cannot write ({exc.strerror or exc})") from None


def _check_file(out: Path, force: bool) -> None:
    if out.is_dir():
        raise OutputError(f"{out}: is a folder; give a file name")
    if not out.exists() and not out.is_symlink():
        return
    if not force:
        raise OutputError(f"{out}: already exists; use --force to overwrite it")
    if not out.resolve().is_file():
        raise OutputError(f"{out}: is not a regular file; cmo_xl replaces only files")


def _check_folder(out: Path, force: bool) -> None:
    if not out.exists():
        return
    if not out.is_dir():
        raise OutputError(f"{out}: is a file, not a folder; give a folder for the pages")
    if any(out.iterdir()) and not force:
        raise OutputError(f"{out}: is not empty; use --force to write into it")
    if not os.access(out, os.W_OK | os.X_OK):
        raise OutputError(f"{out}: cannot write (the folder is not writable)")


def _same_file(source: Path, out: Path) -> bool:
    try:
        if os.path.samefile(source, out):
            return True
    except OSError:
        pass
    with contextlib.suppress(OSError, RuntimeError):
        return source.resolve() == out.resolve()
    return False


def _name_max(folder: Path) -> int:
    try:
        return int(os.pathconf(folder, "PC_NAME_MAX"))
    except (OSError, ValueError):
        return 255


def target(out: Path) -> Path:
    """Where an output is written: a link is followed, so the file it points at is replaced
    and the link stays."""
    return out.resolve() if out.is_symlink() else out


def write_file(out: Path, write: Callable[[Path], object], *, force: bool = False) -> Path:
    """``write`` into a staged file beside ``out``, then move it into place: whole or not at
    all, never over a file without ``force``. Returns ``out``."""
    final = target(out)
    remove_stale_staged_files(final.parent)
    staged: Path | None = None
    try:
        with stopping.deferred():
            staged = _stage(final.parent)
        write(staged)
        if force and final.exists():
            staged.chmod(stat.S_IMODE(final.stat().st_mode))
        stopping.check()
        with stopping.deferred():
            _publish(staged, final, force=force)
    except OSError as exc:
        raise OutputError(f"{out}: cannot write ({exc.strerror or exc})") from None
    finally:
        if staged is not None:
            with stopping.deferred(), contextlib.suppress(OSError):
                staged.unlink()
    return out


#: The pages a render writes into a folder, which a render with ``--force`` replaces.
PAGE = re.compile(r"\d{2,}-[A-Za-z0-9-]+\.png")


def write_folder(out: Path, write: Callable[[Path], list[str]], *, force: bool = False) -> Path:
    """``write`` files into a staged folder beside ``out`` (it returns their names), then move
    them into ``out``: a new folder appears whole; into an existing one, each file appears whole,
    and with ``force`` the pages an earlier render left there (:data:`PAGE`) go."""
    remove_stale_staged_files(out.parent)
    staged: Path | None = None
    try:
        with stopping.deferred():
            staged = _stage(out.parent, directory=True)
        names = write(staged)
        stopping.check()
        with stopping.deferred():
            if not out.exists():
                os.rename(staged, out)
                staged = None
                return out
            if force:
                for old in out.iterdir():
                    if PAGE.fullmatch(old.name) and old.name not in names and old.is_file():
                        old.unlink()
            for name in names:
                os.replace(staged / name, out / name)
    except OSError as exc:
        raise OutputError(f"{out}: cannot write ({exc.strerror or exc})") from None
    finally:
        if staged is not None:
            with stopping.deferred():
                shutil.rmtree(staged, ignore_errors=True)
    return out


def _stage(where: Path, *, directory: bool = False) -> Path:
    """A new empty file (or folder) in ``where``; its mode is what the umask gives any."""
    path = where / f"{STAGED_PREFIX}{os.getpid()}-{secrets.token_hex(4)}{STAGED_SUFFIX}"
    if directory:
        path.mkdir(mode=0o777)
    else:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
    return path


def remove_stale_staged_files(folder: Path) -> list[Path]:
    """Remove staged files and folders that a killed command left in ``folder``; returns what
    was removed. One is stale when the process named in it no longer runs."""
    removed: list[Path] = []
    try:
        candidates = sorted(folder.glob(f"{STAGED_PREFIX}*{STAGED_SUFFIX}"))
    except OSError:
        return removed
    for path in candidates:
        pid_text = path.name[len(STAGED_PREFIX) :].split("-", 1)[0]
        if not pid_text.isdigit() or _running(int(pid_text)):
            continue
        with contextlib.suppress(OSError):
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path)
            else:
                path.unlink()
            removed.append(path)
    return removed


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True  # another user's process, or not a pid at all: leave it alone
    return True


def _publish(staged: Path, out: Path, *, force: bool) -> None:
    if force:
        os.replace(staged, out)
        return
    try:
        os.link(staged, out)  # atomic, and fails if a file appeared at ``out`` meanwhile
    except FileExistsError:
        raise OutputError(f"{out}: already exists; use --force to overwrite it") from None
    except OSError:  # a file system without hard links
        if out.exists():
            raise OutputError(f"{out}: already exists; use --force to overwrite it") from None
        os.replace(staged, out)

"""One small exception tree: input problems apart from file problems."""

from __future__ import annotations


class CmoXlError(Exception):
    """Base of every error cmo_xl raises on purpose."""


class SpecError(CmoXlError):
    """The spec is invalid. Each problem names the field path, the value and what is allowed."""

    def __init__(self, problems: list[str], source: str = "spec") -> None:
        self.problems = problems
        self.source = source
        lines = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"{source}: {len(problems)} problem(s)\n{lines}")


class OutputError(CmoXlError):
    """The output file cannot be written (exists without --force, bad folder, ...)."""


class WorkbookError(CmoXlError):
    """A workbook cannot be read back: not an xlsx, unsafe, damaged, not built by cmo_xl, or
    holding an input that is not a number."""


class RecalcError(CmoXlError):
    """LibreOffice could not recalculate a workbook."""


class LimitError(CmoXlError):
    """The workbook would break one of Excel's limits (a formula or a text too long)."""


class Interrupted(BaseException):
    """A signal (SIGTERM, SIGHUP) asked the command to stop.

    Raised from the signal handler, so every ``finally`` runs and no partial file is left.
    It derives from BaseException so that no ``except Exception`` swallows it.
    """

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum

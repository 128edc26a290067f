"""CLI etiquette shared by every command: exit codes, one-line errors, JSON on stdout."""

from __future__ import annotations

import enum
import json
import sys
from typing import Any, TextIO


@enum.unique
class ExitCode(enum.IntEnum):
    """Documented exit statuses (README "Exit codes"); pinned by tests."""

    OK = 0
    #: An unexpected internal error (a bug): please report it with ``--debug`` output.
    INTERNAL = 1
    #: Wrong command-line usage (argparse's convention).
    USAGE = 2
    #: The input was refused: malformed JSON, unknown finding code, unreadable file...
    INVALID_INPUT = 3
    #: The diary database could not be read or written.
    STORAGE = 4
    #: A packaged knowledge file is broken (a release bug).
    KNOWLEDGE = 5
    #: Interrupted with Ctrl-C (128 + SIGINT).
    INTERRUPTED = 130


def error(message: str, *, hint: str | None = None, stream: TextIO | None = None) -> None:
    """Print ``crepitus: error: <message>`` (one line) and an optional hint line."""
    out = stream or sys.stderr
    first_line = message.strip().splitlines()[0] if message.strip() else "unknown error"
    print(f"crepitus: error: {first_line}", file=out)
    if hint:
        print(f"hint: {hint}", file=out)


def info(message: str) -> None:
    """A message for people (stderr), never mixed into machine output."""
    print(message, file=sys.stderr)


def plot_written(path: object) -> None:
    """Tell the person which file a ``--plot`` option wrote (the real name, suffix and all)."""
    info(f"plot written to {path}")


def what_it_means(*, audio: str | None = None, motion: str | None = None) -> list[str]:
    """The closing lines of a lay recording summary (``listen``, ``walk``): not a
    diagnosis, and the command that says what it means and when to seek care."""
    import shlex

    from crepitus.domain import INTENDED_USE

    audio_arg = f"--audio {shlex.quote(audio)}" if audio else "[--audio AUDIO_FILE]"
    motion_arg = f"--motion {shlex.quote(motion)}" if motion else "[--motion MOTION_FILE]"
    return [
        INTENDED_USE,
        f"What this means for you and when to seek care: crepitus assess {audio_arg} {motion_arg}",
    ]


def emit_json(doc: Any) -> None:
    """Machine output: one JSON document on stdout."""
    sys.stdout.write(json.dumps(doc, indent=2, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def read_text_arg(path: str, *, what: str) -> str:
    """Read a text file given on the command line (``-`` = stdin) with one-line errors."""
    from crepitus.errors import InvalidInputError

    if path == "-":
        return sys.stdin.read()
    try:
        with open(path, encoding="utf-8") as fh:  # noqa: PTH123 - plain open keeps '-' handling simple
            return fh.read()
    except FileNotFoundError:
        raise InvalidInputError(f"{what} file not found: {path}") from None
    except IsADirectoryError:
        raise InvalidInputError(f"{what} path is a directory, not a file: {path}") from None
    except UnicodeDecodeError:
        raise InvalidInputError(f"{what} file is not UTF-8 text: {path}") from None
    except OSError as exc:
        raise InvalidInputError(f"cannot read {what} file {path}: {exc.strerror}") from None

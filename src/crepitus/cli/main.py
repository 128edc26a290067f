"""Entry point of the ``crepitus`` command.

Each sub-command lives in ``crepitus.cli.commands.<name>`` and exposes
``register(subparsers)``; heavy libraries are imported inside the command's
handler, never at module level, so ``crepitus --help`` stays fast.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from crepitus import __version__
from crepitus.cli.console import ExitCode, error

#: Preferred order in ``--help``; any other module in ``crepitus.cli.commands`` follows.
ORDER: tuple[str, ...] = (
    "demo",
    "assess",
    "intake",
    "listen",
    "walk",
    "rules",
    "plan",
    "log",
    "diary",
    "trends",
    "export",
)


def command_names() -> list[str]:
    """Sub-command modules found in ``crepitus.cli.commands``, in help order."""
    import pkgutil

    from crepitus.cli import commands

    found = [m.name for m in pkgutil.iter_modules(commands.__path__) if not m.name.startswith("_")]
    rank = {name: i for i, name in enumerate(ORDER)}
    return sorted(found, key=lambda n: (rank.get(n, len(rank)), n))


DESCRIPTION = """\
crepitus — why does my back pop when I walk, and should I worry?

Answers questions about the noise, listens to a recording, reads motion data,
and says what is probably making the noise and how urgently (if at all) to see
a clinician, with the reasons. Not a diagnosis.
"""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="crepitus",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="Exit codes: 0 ok, 1 internal error, 2 usage, 3 invalid input, "
        "4 storage, 5 knowledge base, 130 interrupted.",
    )
    parser.add_argument("--version", action="version", version=f"crepitus {__version__}")
    parser.add_argument(
        "--debug", action="store_true", help="show full tracebacks (for bug reports)"
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in command_names():
        module = importlib.import_module(f"crepitus.cli.commands.{name}")
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns (and, as a script, exits with) an :class:`ExitCode`."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return ExitCode.USAGE
    try:
        return int(args.func(args))
    except KeyboardInterrupt:
        error("interrupted — nothing was saved from the unfinished step")
        return ExitCode.INTERRUPTED
    except BrokenPipeError:
        # The reader went away (`| head`): not an error. Point stdout at /dev/null so the
        # interpreter's final flush does not raise again and turn it into exit 1 (review 3).
        import os

        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return ExitCode.OK
    except Exception as exc:
        if args.debug:
            raise
        return _report(exc, args)


def _report(exc: Exception, args: argparse.Namespace) -> int:
    """One line (and a hint) for the person, and the exit code of the error's family."""
    from crepitus.errors import CrepitusError, KnowledgeBaseError, StorageError, UsageError

    if isinstance(exc, StorageError):
        error(str(exc), hint="check CREPITUS_DATABASE_URL / CREPITUS_HOME and file permissions")
        return ExitCode.STORAGE
    if isinstance(exc, KnowledgeBaseError):
        error(f"knowledge base: {exc}", hint="this is a bug in this release; please report it")
        _fallback_safety_net(args)
        return ExitCode.KNOWLEDGE
    if isinstance(exc, UsageError):  # an option value that cannot work, like argparse's errors
        error(str(exc))
        return ExitCode.USAGE
    if isinstance(exc, CrepitusError):  # InvalidInputError and any other user-caused error
        error(str(exc))
        return ExitCode.INVALID_INPUT
    error(
        f"internal error ({type(exc).__name__}): {exc}",
        hint="run again with --debug and report the output",
    )
    _fallback_safety_net(args)
    return ExitCode.INTERNAL


def _fallback_safety_net(args: argparse.Namespace) -> None:
    """After a failure, a person who came for advice still gets the emergency signs."""
    if getattr(args, "command", None) in {"assess", "demo", "intake", "plan"}:
        from crepitus.domain import FALLBACK_SAFETY_NET

        print(f"crepitus could not finish. {FALLBACK_SAFETY_NET}", file=sys.stderr)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

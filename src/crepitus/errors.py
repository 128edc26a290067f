"""One exception family for everything crepitus refuses to do.

Every error a user can cause is a :class:`CrepitusError` whose message is one
line saying what was wrong and what to do.  Adapters (CLI, web) map the
subclasses to exit codes and HTTP statuses; nothing else should be shown to a
user, and tracebacks only with ``--debug``.
"""

from __future__ import annotations


class CrepitusError(Exception):
    """Base class: a one-line, user-facing message (what was wrong, what to do)."""


class InvalidInputError(CrepitusError, ValueError):
    """The input (a findings document, a file, an argument) is not acceptable."""


class KnowledgeBaseError(CrepitusError):
    """A packaged knowledge file is malformed (unknown key, missing source...).

    This is a bug in the release, never the user's fault, and must fail loudly at
    load time rather than produce an assessment from an incomplete rule book.
    """


class StorageError(CrepitusError):
    """The diary database cannot be read or written (locked, read-only, down)."""


class UsageError(InvalidInputError):
    """An option's value cannot work as given (e.g. ``--plot`` names a folder).

    A subclass of :class:`InvalidInputError` so API callers need not care; the CLI
    maps it to the "usage" exit code (2), like argparse's own usage errors.
    """

"""Where a plot goes: one rule for every ``--plot`` option (listen, walk, assess, trends).

* a name without a suffix gets ``.png`` (what matplotlib would do silently), and the
  caller is told the real file name (:func:`plot_path` returns it);
* an existing folder, a missing parent folder or an unsupported suffix is a
  :class:`~crepitus.errors.UsageError`, raised before any analysis runs;
* a write that fails anyway is one :class:`~crepitus.errors.InvalidInputError` with
  the same wording everywhere (:func:`save_figure`).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from crepitus.errors import InvalidInputError, UsageError

#: Formats matplotlib figures are saved in (by file suffix).
FIGURE_FORMATS: tuple[str, ...] = ("png", "svg", "pdf")


def plot_path(out: str | Path, *, formats: Sequence[str] = FIGURE_FORMATS) -> Path:
    """The file a ``--plot OUT`` option will write, checked before anything is drawn.

    Raises
    ------
    UsageError
        ``out`` is a folder, its folder does not exist, or its suffix is not in ``formats``.
    """
    text = str(out)
    path = Path(out)
    if path.is_dir() or text.endswith(("/", "\\")):
        raise UsageError(f"--plot {text} is a folder; give a file name such as {path / 'plot.png'}")
    if not path.suffix:
        path = path.with_name(path.name + ".png")
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in formats:
        dotted = [f".{f}" for f in formats]
        wanted = " or ".join([", ".join(dotted[:-1]), dotted[-1]] if len(dotted) > 1 else dotted)
        raise UsageError(f"--plot must end in {wanted}, got {path.name!r}")
    folder = path.parent
    if not folder.is_dir():
        raise UsageError(f"--plot {text}: folder {folder} does not exist")
    return path


def cannot_write(path: Path, exc: OSError) -> InvalidInputError:
    """The one error for a plot that could not be written after all."""
    return InvalidInputError(f"cannot write the plot to {path}: {exc.strerror or exc}")


def save_figure(fig: Any, out: str | Path, **savefig_kwargs: Any) -> Path:
    """Save a matplotlib figure to :func:`plot_path` ``(out)``, close it, return the path.

    Raises
    ------
    UsageError
        See :func:`plot_path`.
    InvalidInputError
        The file could not be written.
    """
    import matplotlib.pyplot as plt

    try:
        path = plot_path(out)
        try:
            fig.savefig(path, format=path.suffix.lower().lstrip("."), **savefig_kwargs)
        except OSError as exc:
            raise cannot_write(path, exc) from None
    finally:
        plt.close(fig)
    return path

"""``--plot OUT``: one rule for every command (crepitus.plotfile)."""

from __future__ import annotations

from pathlib import Path

import pytest

from crepitus.errors import InvalidInputError, UsageError
from crepitus.plotfile import plot_path, save_figure


def test_a_folder_is_refused_and_never_becomes_folder_png(tmp_path: Path) -> None:
    folder = tmp_path / "adir"
    folder.mkdir()
    for out in (folder, f"{folder}/"):
        with pytest.raises(UsageError, match="is a folder; give a file name such as"):
            plot_path(out)
    with pytest.raises(UsageError, match="is a folder"):
        plot_path(f"{tmp_path / 'not_yet'}/")


def test_the_real_file_name_is_returned(tmp_path: Path) -> None:
    assert plot_path(tmp_path / "phase") == tmp_path / "phase.png"
    assert plot_path(tmp_path / "phase.SVG") == tmp_path / "phase.SVG"


def test_bad_suffix_and_missing_folder_are_usage_errors(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match=r"must end in \.png, \.svg or \.pdf, got 'x\.jpg'"):
        plot_path(tmp_path / "x.jpg")
    with pytest.raises(UsageError, match=r"must end in \.png or \.svg"):
        plot_path(tmp_path / "x.pdf", formats=("png", "svg"))
    with pytest.raises(UsageError, match="does not exist"):
        plot_path(tmp_path / "nope" / "x.png")
    assert issubclass(UsageError, InvalidInputError)  # API callers catch one family


def test_save_figure_writes_the_file_it_names(tmp_path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig = plt.figure()
    written = save_figure(fig, tmp_path / "plain")
    assert written == tmp_path / "plain.png"
    assert written.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert not plt.get_fignums()  # closed

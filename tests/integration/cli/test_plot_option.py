"""Every ``--plot`` option follows one rule (P2-8): a folder is a usage error, raised
before any file is read, and the message names the file actually written."""

from __future__ import annotations

from pathlib import Path

import pytest

from crepitus.cli.console import ExitCode
from crepitus.cli.main import main


@pytest.mark.parametrize(
    "argv",
    [
        ["listen", "missing.wav"],
        ["walk", "missing.csv"],
        ["assess", "--answers", "missing.json", "--motion", "missing.csv"],
        ["trends"],
    ],
    ids=["listen", "walk", "assess", "trends"],
)
def test_plot_to_a_folder_is_one_line_usage_error(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
) -> None:
    monkeypatch.setenv("CREPITUS_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("CREPITUS_DATABASE_URL", raising=False)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "adir").mkdir()
    assert main([*argv, "--plot", "adir"]) == ExitCode.USAGE
    err = capsys.readouterr().err
    assert (
        err == "crepitus: error: --plot adir is a folder; give a file name such as adir/plot.png\n"
    )
    assert list((tmp_path / "adir").iterdir()) == []
    assert not (tmp_path / "adir.png").exists()


def test_assess_plot_without_recordings_fails_before_reading_answers(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["assess", "--answers", "missing.json", "--plot", "x.png"]) == ExitCode.USAGE
    assert "--plot needs --audio and/or --motion" in capsys.readouterr().err

"""`crepitus intake` in-process: JSON contract, readable list, file and stdin input, errors."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from crepitus.cli.console import ExitCode
from crepitus.cli.main import main
from crepitus.findings import parse_findings


def test_json_is_a_findings_document(capsys: pytest.CaptureFixture[str]) -> None:
    rc = main(
        [
            "intake",
            "--text",
            "my lower back cracks every step and my left leg tingles, no fever",
            "--json",
        ]
    )
    assert rc == ExitCode.OK
    doc = json.loads(capsys.readouterr().out)
    assert dict(parse_findings(doc)) == {
        "sound.pop": True,
        "sound.every_step": True,
        "neuro.leg_numbness_tingling": True,
        "systemic.fever": False,
    }


def test_readable_output_quotes_the_words(capsys: pytest.CaptureFixture[str]) -> None:
    rc = main(["intake", "--text", "my back clicks, maybe some weakness"])
    out, err = capsys.readouterr()
    assert rc == ExitCode.OK
    assert out.startswith('you wrote: "clicks" → ') and out.rstrip().endswith("yes")
    assert "not counted" in err and "weakness" in err


def test_file_and_stdin(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    p = tmp_path / "d.txt"
    p.write_text("I'm 40 and my back grinds", encoding="utf-8")
    assert main(["intake", "--file", str(p), "--json"]) == ExitCode.OK
    assert json.loads(capsys.readouterr().out)["findings"] == {"age": 40, "sound.grind": True}
    monkeypatch.setattr("sys.stdin", io.StringIO("no numbness"))
    assert main(["intake", "--file", "-", "--json"]) == ExitCode.OK
    assert json.loads(capsys.readouterr().out)["findings"] == {"neuro.leg_numbness_tingling": False}


def test_not_understood_is_not_an_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        main(["intake", "--text", "Ich habe Rückenschmerzen und es knackt beim Gehen.", "--json"])
        == ExitCode.OK
    )
    out, err = capsys.readouterr()
    assert json.loads(out)["findings"] == {}
    assert "not look like English" in err


def test_missing_file_is_invalid_input(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["intake", "--file", "/no/such/file.txt"]) == ExitCode.INVALID_INPUT
    assert "description file not found" in capsys.readouterr().err


def test_text_or_file_is_required() -> None:
    with pytest.raises(SystemExit) as exc:
        main(["intake"])
    assert exc.value.code == ExitCode.USAGE

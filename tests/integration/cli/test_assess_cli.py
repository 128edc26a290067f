"""`crepitus assess`, `rules`, `demo`: contracts, one-line errors and documented exit codes."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from crepitus.cli.console import ExitCode
from crepitus.cli.main import main


def write(tmp_path: Path, text: str, name: str = "f.json") -> str:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return str(p)


def test_assess_answers_json_follows_the_contract(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    f = write(
        tmp_path,
        json.dumps(
            {
                "schema": "crepitus.findings/1",
                "findings": {
                    "age": 52,
                    "sound.pop": True,
                    "pain.with_sound": False,
                    "neuro.saddle_numbness": True,
                },
            }
        ),
    )
    assert main(["assess", "--answers", f, "--json"]) == ExitCode.OK
    doc = json.loads(capsys.readouterr().out)
    assert doc["schema"] == "crepitus.assessment/1"
    assert doc["disposition"] == "emergency"
    assert doc["red_flags"] == ["neuro.saddle_numbness"]
    assert {m["mechanism"] for m in doc["mechanisms"]} == {
        "cavitation",
        "soft_tissue_snap",
        "arthritic_crepitus",
        "undetermined",
    }
    assert abs(sum(m["probability"] for m in doc["mechanisms"]) - 1) < 1e-3
    assert all({"rule", "source", "text"} <= set(r) for r in doc["reasons"])
    assert doc["reasons"][0]["rule"] == "ces.saddle"
    assert isinstance(doc["advice"], str) and doc["advice"]


def test_empty_findings_document_is_valid(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    f = write(tmp_path, '{"schema": "crepitus.findings/1", "findings": {}}')
    assert main(["assess", "--answers", f, "--json"]) == ExitCode.OK
    doc = json.loads(capsys.readouterr().out)
    assert doc["disposition"] == "self_care"
    assert doc["mechanisms"][0]["mechanism"] == "undetermined"
    assert len(doc["unknown"]) > 20  # everything the screen still needs


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "is empty"),
        ("{oops", "is not valid JSON"),
        ('{"findings": {"sound.poop": true}}', "unknown finding code 'sound.poop'"),
        ('{"findings": {"age": "old"}}', "'age' must be a whole number"),
        ('{"findings": {"pain.score": 12}}', "'pain.score' is out of range"),
    ],
)
def test_bad_answers_file_is_one_line_and_exit_3(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, message: str
) -> None:
    f = write(tmp_path, content)
    assert main(["assess", "--answers", f, "--json"]) == ExitCode.INVALID_INPUT
    out, err = capsys.readouterr()
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("crepitus: error:")
    assert message in lines[0]


def test_missing_file(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["assess", "--answers", "/nonexistent/x.json"]) == ExitCode.INVALID_INPUT
    assert "answers file not found" in capsys.readouterr().err


def test_answers_from_stdin(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO('{"findings": {"neuro.bladder_change": true}}'))
    assert main(["assess", "--answers", "-", "--json"]) == ExitCode.OK
    assert json.loads(capsys.readouterr().out)["disposition"] == "emergency"


def test_human_output_has_banner_reasons_and_safety_net(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    f = write(tmp_path, '{"findings": {"sound.snap": true, "pain.with_sound": true}}')
    assert main(["assess", "--answers", f]) == ExitCode.OK
    out = capsys.readouterr().out
    assert "ROUTINE" in out
    assert "seed.painful-popping" in out
    assert "not a diagnosis" in out
    assert "When to get help" in out


def test_open_screen_banner_does_not_reassure(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Review P1-1: nothing answered must not read "This sounds harmless".
    f = write(tmp_path, '{"schema": "crepitus.findings/1", "findings": {}}')
    assert main(["assess", "--answers", f]) == ExitCode.OK
    out = " ".join(capsys.readouterr().out.split())
    assert "harmless" not in out.lower()
    assert "NOT FINISHED (self care so far): answer the warning-sign questions" in out
    assert "None of the warning signs we asked about were reported" not in out


def test_emergency_output_drops_benign_reassurance_and_shows_questions(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Review P2-2/P2-3: no "generally harmless" under an emergency banner; red flags in words.
    f = write(
        tmp_path,
        '{"findings": {"sound.pop": true, "sound.relief": true, "pain.with_sound": false,'
        ' "neuro.bladder_change": true}}',
    )
    assert main(["assess", "--answers", f]) == ExitCode.OK
    out = " ".join(capsys.readouterr().out.split())
    assert "EMERGENCY" in out
    assert "harmless" not in out.lower()
    assert "neuro.bladder_change" not in out
    assert "trouble starting or stopping your urine" in out


def test_interactive_session_with_piped_answers(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # pop? yes; then "w" (why), "b" (back) and a correction; then "no"/"not sure" to the rest.
    answers = ["", "y", "w", "b", "y"] + ["n"] * 5 + ["34", "n", "n", "n", "0"] + ["n"] * 40
    monkeypatch.setattr(sys, "stdin", io.StringIO("\n".join(answers) + "\n"))
    assert main(["assess"]) == ExitCode.OK
    out = capsys.readouterr().out
    assert "Why we ask" in out
    assert "SELF CARE" in out


def test_input_ending_early_is_a_clean_error(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("\ny\nn\n"))
    assert main(["assess"]) == ExitCode.INVALID_INPUT
    assert "input ended before the questions were finished" in capsys.readouterr().err


def test_ctrl_c_is_one_line_and_exit_130(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def interrupted(*_: object, **__: object) -> str:
        raise KeyboardInterrupt

    monkeypatch.setattr("crepitus.cli.interview._read", interrupted)
    assert main(["assess"]) == ExitCode.INTERRUPTED
    err = capsys.readouterr().err.strip().splitlines()
    assert err == ["crepitus: error: interrupted — nothing was saved from the unfinished step"]


def test_rules_lists_every_rule_with_source(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules", "--json"]) == ExitCode.OK
    doc = json.loads(capsys.readouterr().out)
    assert len(doc["rules"]) >= 40
    assert all(r["source"] for r in doc["rules"])
    assert main(["rules", "--findings", "--json"]) == ExitCode.OK
    codes = {d["code"] for d in json.loads(capsys.readouterr().out)}
    assert "neuro.saddle_numbness" in codes


def test_demo_runs_and_shows_every_level_it_promises(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo"]) == ExitCode.OK
    out = capsys.readouterr().out
    for banner in ("SELF CARE", "ROUTINE", "URGENT", "EMERGENCY"):
        assert banner in out


def test_no_command_prints_help_and_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == ExitCode.USAGE
    assert "usage: crepitus" in capsys.readouterr().err


def test_real_process_exit_codes(tmp_path: Path) -> None:
    f = write(tmp_path, "{broken")
    proc = subprocess.run(
        [sys.executable, "-m", "crepitus.cli.main", "assess", "--answers", f],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == ExitCode.INVALID_INPUT
    assert "Traceback" not in proc.stderr
    ok = subprocess.run(
        [sys.executable, "-m", "crepitus.cli.main", "--help"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert ok.returncode == 0 and "assess" in ok.stdout


def test_help_does_not_import_heavy_libraries() -> None:
    code = (
        "import sys; from crepitus.cli.main import build_parser; build_parser(); "
        "heavy = [m for m in ('numpy', 'scipy', 'av', 'soundfile', 'sqlalchemy', 'rich', "
        "'matplotlib', 'yaml') if m in sys.modules]; print(','.join(heavy))"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert proc.stdout.strip() == ""


def test_assess_with_recordings_does_not_import_scipy(tmp_path: Path) -> None:
    """Issue 5: ``scipy.signal`` alone took ~1 s of a 2-s ``assess``; the analysis path
    uses :mod:`crepitus.dsp` instead, and nothing on it may pull scipy back in."""
    from crepitus.synth.session import TUNING_SEEDS, session

    wav, csv = session(TUNING_SEEDS[0], walking_s=20.0).write(tmp_path, stem="walk")
    code = (
        "import sys; from crepitus.cli.main import main; "
        f"rc = main(['assess', '--audio', {str(wav)!r}, '--motion', {str(csv)!r}, '--json']); "
        "print([m for m in sys.modules if m == 'scipy' or m.startswith('scipy.')], rc, "
        "file=sys.stderr)"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert json.loads(proc.stdout)["recording"] is not None
    assert proc.stderr.strip().splitlines()[-1] == "[] 0"


def test_internal_error_still_shows_the_emergency_signs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken(*_: object, **__: object) -> None:
        raise RuntimeError("simulated engine fault")

    monkeypatch.setattr("crepitus.workflows.assess", broken)
    f = write(tmp_path, '{"findings": {}}')
    assert main(["assess", "--answers", f]) == ExitCode.INTERNAL
    err = capsys.readouterr().err
    assert "internal error (RuntimeError)" in err
    assert "call your local emergency number" in err
    assert "Traceback" not in err


def test_every_assessment_repeats_the_cauda_equina_safety_net(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for findings in (
        '{"findings": {}}',
        '{"findings": {"neuro.saddle_numbness": true}}',
        '{"findings": {"sound.pop": true, "pain.with_sound": false}}',
    ):
        f = write(tmp_path, findings)
        assert main(["assess", "--answers", f, "--json"]) == ExitCode.OK
        net = " ".join(json.loads(capsys.readouterr().out)["safety_net"])
        for sign in ("genitals", "urine", "bowel", "both legs"):
            assert sign in net


def test_interview_starts_from_own_words_and_confirms(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    words = "my lower back pops when I walk, it doesn't hurt"
    answers = [words, "y"] + ["?"] * 200  # "not sure" is a valid answer to every question
    monkeypatch.setattr(sys, "stdin", io.StringIO("\n".join(answers) + "\n"))
    assert main(["assess"]) == ExitCode.OK
    out = capsys.readouterr().out
    assert "This is what I understood" in out
    assert 'you wrote: "pops' in out
    # The pop question is not asked again, the red-flag screen still is.
    assert "like cracking your knuckles?  (y/n/?)" not in out
    assert "genitals, back passage" in out


def test_text_option_with_answers(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = write(tmp_path, '{"findings": {"trauma.minor": false}}')
    code = main(["assess", "--answers", f, "--text", "I can't feel when I wipe", "--json"])
    assert code == ExitCode.OK
    doc = json.loads(capsys.readouterr().out)
    assert doc["disposition"] == "emergency"
    assert doc["intake"]["used"] == {"neuro.saddle_numbness": True}


def test_save_keeps_the_assessment_in_the_diary(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    f = write(tmp_path, '{"findings": {"sound.pop": true, "pain.with_sound": false}}')
    assert main(["assess", "--answers", f, "--save", "--json"]) == ExitCode.OK
    saved_id = capsys.readouterr().err.strip().split()[-1]
    assert saved_id.startswith("as-")
    assert main(["diary", "--all"]) == ExitCode.OK
    listed = capsys.readouterr().out
    assert saved_id in listed
    # Review 2, P2-6: an unfinished screen is not listed as "self_care, no warning signs".
    line = next(ln for ln in listed.splitlines() if saved_id in ln)
    assert "self_care so far" in line and "not finished" in line
    assert "no warning signs" not in line


def test_diary_reads_so_far_like_the_assess_banner(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A soon-level warning sign with the screen still open reads "SOON SO FAR" in `assess`;
    # the diary said plain "soon" because it judged by red flags, not by the disposition.
    f = write(tmp_path, '{"findings": {"systemic.weight_loss": true}}')
    assert main(["assess", "--answers", f, "--save"]) == ExitCode.OK
    captured = capsys.readouterr()
    assert "SOON SO FAR" in captured.out
    saved_id = captured.err.strip().split()[-1]
    assert main(["diary", "--all"]) == ExitCode.OK
    line = next(ln for ln in capsys.readouterr().out.splitlines() if saved_id in ln)
    assert "soon so far" in line and "systemic.weight_loss" in line


def test_diary_lists_a_finished_screen_as_no_warning_signs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], screen_all_no: dict[str, bool]
) -> None:
    findings = {**screen_all_no, "sound.pop": True, "pain.with_sound": False, "pain.score": 0}
    f = write(tmp_path, json.dumps({"findings": findings}))
    assert main(["assess", "--answers", f, "--save", "--json"]) == ExitCode.OK
    saved_id = capsys.readouterr().err.strip().split()[-1]
    assert main(["diary", "--all"]) == ExitCode.OK
    line = next(ln for ln in capsys.readouterr().out.splitlines() if saved_id in ln)
    assert "self_care " in line and "so far" not in line and "no warning signs" in line


def test_red_flag_denials_from_free_text_are_asked_again() -> None:
    from crepitus.cli.interview import describe_in_own_words
    from crepitus.cli.render import make_console

    words = "my back pops when I walk, no numbness around my bottom, no problems peeing"
    got = describe_in_own_words(make_console(), io.StringIO("y\n"), text=words)
    assert got is not None
    assert got.is_true("sound.pop")
    # The text denied two warning signs; they are left unknown so the screen asks them again.
    assert "neuro.saddle_numbness" not in got
    assert "neuro.bladder_change" not in got


def test_motion_without_walking_is_reported_not_dropped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """P2-7: ``walk`` says "no walking found"; ``assess --motion`` must say it too."""
    import numpy as np

    rng = np.random.default_rng(0)
    t = np.arange(3000) / 100.0  # 30 s lying on a table at 100 Hz
    acc = np.array([0.1, 0.2, 9.79]) + 0.02 * rng.standard_normal((len(t), 3))
    still = tmp_path / "still.csv"
    np.savetxt(
        still,
        np.column_stack([t, acc]),
        delimiter=",",
        header="time_s,acc_x,acc_y,acc_z",
        comments="",
        fmt="%.5f",
    )
    f = write(tmp_path, '{"schema": "crepitus.findings/1", "findings": {}}')
    assert main(["assess", "--answers", f, "--motion", str(still), "--json"]) == ExitCode.OK
    notes = json.loads(capsys.readouterr().out)["recording"]["notes"]
    assert any(n.startswith("motion (still.csv): no walking found") for n in notes)
    assert main(["assess", "--answers", f, "--motion", str(still)]) == ExitCode.OK
    assert "no walking found" in " ".join(capsys.readouterr().out.split())


def test_free_text_denials_are_quoted_when_asked_again(capsys: pytest.CaptureFixture[str]) -> None:
    # Review 2, P2-8: "no bladder problems" came back as an open question with no word on why.
    text = "my back pops when I walk, no bladder problems"
    assert main(["assess", "--text", text]) == ExitCode.OK
    out = " ".join(capsys.readouterr().out.split())
    assert "You wrote “no bladder problems”" in out
    assert "never takes a “no” to a warning sign from free text" in out
    assert main(["assess", "--text", "my back pops when I walk"]) == ExitCode.OK
    assert "You wrote" not in capsys.readouterr().out


def test_mechanism_shares_never_print_as_certain() -> None:
    # Review 3, P2-2: a recording-only "100 %" claimed a certainty the model does not have.
    from crepitus.cli.render import _share

    assert _share(0.9957) == " >95%" and _share(0.004) == "  <1%" and _share(0.42) == "  42%"


def test_a_reader_that_goes_away_is_not_reported_as_a_bug() -> None:
    # Review 3, P3-15: `crepitus assess | head -2` exited 1 ("a bug" in the README's table):
    # rich turns a broken pipe into SystemExit(1).
    proc = subprocess.Popen(
        [sys.executable, "-m", "crepitus.cli.main", "assess"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None
    proc.stdout.readline()
    proc.stdout.close()
    _, err = proc.communicate(b"n\n" * 200, timeout=120)
    assert proc.returncode == ExitCode.OK, err.decode()
    assert b"Traceback" not in err


def test_piped_answers_that_never_fit_end_with_an_error_not_a_loop(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # `yes n | crepitus assess` re-asked "How old are you?" forever.
    monkeypatch.setattr(sys, "stdin", io.StringIO("n\n" * 10_000))
    assert main(["assess"]) == ExitCode.INVALID_INPUT
    assert "no usable answer to “How old are you" in capsys.readouterr().err

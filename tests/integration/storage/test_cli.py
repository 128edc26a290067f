"""`crepitus log / diary / trends / export` in-process (capsys), on every backend."""

from __future__ import annotations

import json
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from crepitus.cli.console import ExitCode
from crepitus.cli.main import main

CONTRACT_KEYS = {"id", "when", "sound", "pain", "activity", "note"}


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_log_prints_the_id_and_diary_lists_it(
    db_env: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(
        capsys,
        "log",
        "--sound",
        "pop",
        "--pain",
        "2",
        "--when",
        "2026-11-20T08:30+01:00",
        "--activity",
        "walking",
        "--note",
        "left side",
    )
    assert code == ExitCode.OK
    entry_id = out.strip()
    assert entry_id.startswith("ep-") and "\n" not in entry_id

    code, out, _ = run(capsys, "diary", "--json")
    assert code == ExitCode.OK
    doc = json.loads(out)
    assert set(doc) == {"schema", "entries"}
    assert doc["schema"] == "crepitus.diary/1"
    (entry,) = doc["entries"]
    assert set(entry) >= CONTRACT_KEYS
    assert {k: entry[k] for k in CONTRACT_KEYS} == {
        "id": entry_id,
        "when": "2026-11-20T08:30:00+01:00",
        "sound": "pop",
        "pain": 2,
        "activity": "walking",
        "note": "left side",
    }
    code, out, _ = run(capsys, "diary")
    assert code == ExitCode.OK
    assert entry_id in out and "walking" in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["log", "--sound", "pop", "--pain", "11"], "0 (none) to 10"),
        (["log", "--sound", "pop", "--pain", "ten"], "whole number"),
        (["log", "--sound", "clunk", "--pain", "1"], "sound must be one of"),
        (["log", "--sound", "pop", "--pain", "1", "--when", "last tuesday"], "ISO-8601"),
        (["log", "--sound", "pop"], "--pain"),
        (["log", "--exercise", "plank"], "--pain-during"),
        (
            ["log", "--exercise", "plank", "--pain-during", "1", "--sound", "pop"],
            "one thing at a time",
        ),
        (["log", "--sound", "pop", "--pain", "1", "--symptom", "neuro.wobbly"], "unknown finding"),
    ],
)
def test_bad_arguments_exit_3_with_one_line(
    db_env: str, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    code, out, err = run(capsys, *argv)
    assert code == ExitCode.INVALID_INPUT
    assert out == ""
    assert err.startswith("crepitus: error: ")
    assert message in err.splitlines()[0]


def test_log_exercise_session(db_env: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys,
        "log",
        "--exercise",
        "bird_dog",
        "--pain-during",
        "1",
        "--sets",
        "3",
        "--reps",
        "6",
        "--hold-s",
        "10",
        "--on",
        "2026-11-20",
    )
    assert code == ExitCode.OK
    assert out.strip().startswith("ex-")
    code, out, _ = run(capsys, "diary", "--json", "--all")
    (session,) = json.loads(out)["exercise_sessions"]
    assert session["exercise_id"] == "bird_dog"
    assert (session["sets"], session["reps"], session["hold_s"]) == (3, 6, 10.0)


def test_logging_a_red_flag_raises_an_alert(
    db_env: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(
        capsys, "log", "--sound", "none", "--pain", "6", "--symptom", "neuro.saddle_numbness"
    )
    assert code == ExitCode.OK
    assert out.strip().startswith("ep-")  # the entry is saved and reported first
    assert "ALERT" in err and "EMERGENCY" in err
    code, out, _ = run(capsys, "trends", "--json")
    alert = json.loads(out)["alert"]
    assert alert["disposition"] == "emergency"
    assert "neuro.saddle_numbness" in alert["new_red_flags"]


def test_trends_json_and_plot(
    db_env: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    for day, pain in ((16, 1), (17, 2), (18, 1)):
        run(capsys, "log", "--sound", "pop", "--pain", str(pain), "--when", f"2026-11-{day}T09:00")
    plot = tmp_path / "trends.svg"
    code, out, err = run(capsys, "trends", "--json", "--plot", str(plot))
    assert code == ExitCode.OK
    doc = json.loads(out)
    assert doc["schema"] == "crepitus.trends/1"
    assert doc["weeks"][0]["week"] == "2026-W47"
    assert doc["weeks"][0]["episodes"] == 3
    assert doc["alert"] is None
    assert plot.read_bytes().lstrip().startswith(b"<?xml")
    assert stat.S_IMODE(plot.stat().st_mode) == 0o600
    code, out, _ = run(capsys, "trends")
    assert "2026-W47" in out
    code, _, err = run(capsys, "trends", "--plot", str(tmp_path / "x.pdf"))
    assert code == ExitCode.USAGE and ".png or .svg" in err


def test_empty_diary_messages(db_env: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "diary")
    assert code == ExitCode.OK and out == "" and "empty" in err
    code, out, _ = run(capsys, "diary", "--json")
    assert json.loads(out) == {"schema": "crepitus.diary/1", "entries": []}
    code, out, err = run(capsys, "trends")
    assert code == ExitCode.OK and "empty" in err


def test_backup_and_restore_keep_every_id(
    db_url: str,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Fill a SQLite diary, back it up, restore into the (empty) backend under test."""
    monkeypatch.setenv("CREPITUS_DATABASE_URL", f"sqlite:///{tmp_path / 'source.sqlite3'}")
    ids = [
        run(capsys, "log", "--sound", s, "--pain", "3", "--note", f"n-{s}")[1].strip()
        for s in ("pop", "snap", "grind")
    ]
    ids.append(run(capsys, "log", "--exercise", "plank", "--pain-during", "0")[1].strip())
    backup = tmp_path / "backup.json"
    code, _, _ = run(capsys, "export", "--format", "backup", "--out", str(backup))
    assert code == ExitCode.OK
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    _, before, _ = run(capsys, "diary", "--json", "--all")

    monkeypatch.setenv("CREPITUS_DATABASE_URL", db_url)
    code, _, err = run(capsys, "export", "--restore", str(backup))
    assert code == ExitCode.OK, err
    assert "restored 4 entries" in err
    _, after, _ = run(capsys, "diary", "--json", "--all")
    assert json.loads(after) == json.loads(before)
    restored = json.loads(after)
    assert [e["id"] for e in restored["entries"]] + [
        s["id"] for s in restored["exercise_sessions"]
    ] == ids

    code, _, err = run(capsys, "export", "--restore", str(backup))
    assert code == ExitCode.STORAGE and "not empty" in err


def test_csv_and_json_export(
    db_env: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    run(capsys, "log", "--sound", "pop", "--pain", "1")
    code, out, _ = run(capsys, "export", "--format", "csv", "--out", "-")
    assert code == ExitCode.OK
    assert out.splitlines()[0].startswith("kind,id,when,sound,pain")
    assert len(out.splitlines()) == 2
    target = tmp_path / "diary.json"
    code, _, err = run(capsys, "export", "--format", "json", "--out", str(target))
    assert f"exported 1 entry to {target}" in err  # not "1 entries"
    assert json.loads(target.read_text(encoding="utf-8"))["schema"] == "crepitus.diary/1"
    code, _, err = run(capsys, "export", "--format", "xlsx", "--out", str(target))
    assert code == ExitCode.INVALID_INPUT and "csv, json or backup" in err
    code, _, err = run(capsys, "export", "--format", "csv")
    assert code == ExitCode.INVALID_INPUT and "--out" in err


def test_ical_export_from_the_latest_assessment(
    db_env: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    out_file = tmp_path / "plan.ics"
    code, _, err = run(capsys, "export", "--ical", "--out", str(out_file))
    assert code == ExitCode.INVALID_INPUT and "no assessment" in err

    from crepitus.diary import service
    from crepitus.workflows import assess

    with service.open_diary() as repo:
        service.record_assessment(repo, assess({"sound.pop": True, "pain.with_sound": False}))
    code, _, err = run(capsys, "export", "--ical", "--out", str(out_file))
    assert code == ExitCode.OK, err
    text = out_file.read_text(encoding="utf-8")
    assert text.startswith("BEGIN:VCALENDAR") and "BEGIN:VALARM" in text


def test_cli_import_stays_light() -> None:
    """Building the parser (what `crepitus --help` does) loads no SQLAlchemy or matplotlib."""
    code = (
        "import sys; from crepitus.cli.main import build_parser; build_parser(); "
        "print(sorted(m for m in ('sqlalchemy', 'alembic', 'matplotlib') if m in sys.modules))"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert proc.stdout.strip() == "[]"


def test_a_failing_retriage_check_does_not_fail_a_saved_entry(
    db_env: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Exit 0 once the id is printed: a non-zero exit would make scripts log it twice."""
    from crepitus.diary import service
    from crepitus.errors import KnowledgeBaseError

    def broken(*_: object, **__: object) -> None:
        raise KnowledgeBaseError("rules.yaml is broken")

    monkeypatch.setattr(service, "check_for_retriage", broken)
    code, out, err = run(capsys, "log", "--sound", "pop", "--pain", "1")
    assert code == ExitCode.OK
    assert out.strip().startswith("ep-")
    assert "re-triage check failed" in err
    _, listed, _ = run(capsys, "diary", "--json")
    assert [e["id"] for e in json.loads(listed)["entries"]] == [out.strip()]


def test_diary_since_until(db_env: str, capsys: pytest.CaptureFixture[str]) -> None:
    for day in (10, 15, 20):
        run(capsys, "log", "--sound", "pop", "--pain", "1", "--when", f"2026-11-{day}T12:00")
    code, out, _ = run(capsys, "diary", "--json", "--since", "2026-11-12", "--until", "2099-01-01")
    assert code == ExitCode.OK
    assert [e["when"][:10] for e in json.loads(out)["entries"]] == ["2026-11-15", "2026-11-20"]
    code, _, err = run(capsys, "diary", "--since", "soon")
    assert code == ExitCode.INVALID_INPUT and "--since must be" in err


def test_alert_clears_once_a_reassessment_is_kept(
    db_env: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """The loop: log a nerve symptom → alert → keep the new assessment → quiet again."""
    from crepitus.workflows import assess

    first = tmp_path / "first.json"
    first.write_text(json.dumps(assess({"sound.pop": True}).to_json()), encoding="utf-8")
    code, out, err = run(capsys, "log", "--assessment", str(first))
    assert code == ExitCode.OK and out.strip().startswith("as-"), err

    run(capsys, "log", "--sound", "none", "--pain", "3", "--symptom", "neuro.leg_weakness")
    _, out, _ = run(capsys, "trends", "--json")
    alert = json.loads(out)["alert"]
    assert alert is not None
    assert alert["previous"]["disposition"] == "self_care"
    assert [t["codes"] for t in alert["triggers"]] == [["neuro.leg_weakness"]]

    again = tmp_path / "again.json"
    again.write_text(json.dumps(alert["assessment"]), encoding="utf-8")
    code, _, _ = run(capsys, "log", "--assessment", str(again))
    assert code == ExitCode.OK
    _, out, _ = run(capsys, "trends", "--json")
    assert json.loads(out)["alert"] is None


def test_keep_a_recording_analysis(
    db_env: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    doc = {
        "schema": "crepitus.sounds/1",
        "file": "walk.m4a",
        "sample_rate": 48000,
        "duration_s": 31.2,
        "events": [{"onset_s": 4.218, "offset_s": 4.236, "kind": "pop", "confidence": 0.94}],
    }
    path = tmp_path / "sounds.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    code, out, _ = run(capsys, "log", "--recording", str(path), "--note", "evening walk")
    assert code == ExitCode.OK and out.strip().startswith("rec-")
    _, out, _ = run(capsys, "diary", "--json", "--all")
    (rec,) = json.loads(out)["recordings"]
    assert (rec["kind"], rec["file_name"], rec["duration_s"]) == ("audio", "walk.m4a", 31.2)
    assert rec["analysis"] == doc
    path.write_text(json.dumps({"schema": "crepitus.plan/1"}), encoding="utf-8")
    code, _, err = run(capsys, "log", "--recording", str(path))
    assert code == ExitCode.INVALID_INPUT and "not a recording analysis" in err
    code, _, err = run(capsys, "log", "--assessment", str(path))
    assert code == ExitCode.INVALID_INPUT and "not an assessment" in err
    code, _, err = run(capsys, "log", "--assessment", str(path), "--sound", "pop")
    assert code == ExitCode.INVALID_INPUT and "one thing at a time" in err


def test_next_morning_pain_updates_yesterdays_session(
    db_env: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from datetime import date, timedelta

    yesterday = (date.today() - timedelta(days=1)).isoformat()
    _, out, _ = run(
        capsys, "log", "--exercise", "side_plank", "--pain-during", "2", "--on", yesterday
    )
    session_id = out.strip()
    code, out, err = run(capsys, "log", "--exercise", "side_plank", "--pain-next-morning", "4")
    assert code == ExitCode.OK, err
    assert out.strip() == session_id
    _, out, _ = run(capsys, "diary", "--json", "--all")
    (session,) = json.loads(out)["exercise_sessions"]
    assert (session["id"], session["pain_during"], session["pain_next_morning"]) == (
        session_id,
        2,
        4,
    )
    code, _, err = run(capsys, "log", "--exercise", "plank", "--pain-next-morning", "4")
    assert code == ExitCode.INVALID_INPUT and "no plank session" in err

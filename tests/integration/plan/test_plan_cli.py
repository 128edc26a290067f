"""``crepitus plan``: in-process through ``main`` and once as a real subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import icalendar
import pytest

from crepitus.cli.main import main
from crepitus.plan.library import load_library


def _answers(tmp_path: Path, findings: dict[str, object], name: str = "answers.json") -> str:
    path = tmp_path / name
    path.write_text(json.dumps({"schema": "crepitus.findings/1", "findings": findings}))
    return str(path)


def test_json_plan_follows_the_contract(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], screen_all_no: dict[str, bool]
) -> None:
    findings = {**screen_all_no, "sound.pop": True, "pain.with_sound": False, "pain.score": 1}
    answers = _answers(tmp_path, findings)
    assert main(["plan", "--answers", answers, "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["schema"] == "crepitus.plan/1"
    assert doc["disposition"] == "self_care"
    ids = [e["id"] for e in doc["exercises"]]
    assert {"cat_cow", "pelvic_tilt", "abdominal_bracing", "bird_dog", "plank"} <= set(ids)
    assert isinstance(doc["withheld"], list)
    assert doc["posture_cues"] and all(isinstance(c, str) for c in doc["posture_cues"])


def test_open_warning_sign_questions_hold_back_loading(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # docs/safety.md H10, control 2: an unanswered red flag withholds loading (review P1-2).
    answers = _answers(tmp_path, {"sound.pop": True, "pain.with_sound": False, "pain.score": 1})
    assert main(["plan", "--answers", answers, "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    lib = load_library()
    planned = [e["id"] for e in doc["exercises"]]
    assert planned and not [i for i in planned if lib[i].loading]
    held = {w["id"]: w for w in doc["withheld"]}
    assert {"bird_dog", "plank", "side_plank"} <= set(held)
    assert all("warning-sign questions" in held[i]["reason"] for i in ("bird_dog", "plank"))
    assert held["plank"]["name"] == lib["plank"].name


def test_the_terminal_plan_says_when_the_screen_is_unfinished(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], screen_all_no: dict[str, bool]
) -> None:
    # Review 2, P2-9: on an unfinished screen the plan read as a settled "self care" and
    # lacked the emergency signs that close `crepitus assess`.
    open_screen = _answers(tmp_path, {"sound.pop": True, "pain.score": 1}, "open.json")
    assert main(["plan", "--answers", open_screen]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Your exercise plan (self care so far)")
    assert "Not finished" in out and "crepitus assess" in out
    assert "When to get help:" in out and "both legs" in out
    done = {**screen_all_no, "sound.pop": True, "pain.with_sound": False, "pain.score": 1}
    assert main(["plan", "--answers", _answers(tmp_path, done, "done.json")]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Your exercise plan (self care)\n") and "Not finished" not in out


def test_emergency_answers_give_no_loading_exercise(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    answers = _answers(tmp_path, {"neuro.saddle_numbness": True, "pain.score": 5})
    assert main(["plan", "--answers", answers, "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["disposition"] == "emergency"
    loading = load_library().loading_ids
    assert not [e for e in doc["exercises"] if e["id"] in loading]
    withheld = {w["id"] for w in doc["withheld"]}
    assert {"plank", "side_plank", "bird_dog"} <= withheld


def test_human_output_numbers_exercises_and_says_when_to_stop(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    answers = _answers(tmp_path, {"sound.snap": True, "sound.every_step": True})
    assert main(["plan", "--answers", answers, "--tilt-deg", "12"]) == 0
    out = capsys.readouterr().out
    assert " 1. Cat-cow" in out
    assert "Why:" in out
    assert "Stop and seek care if:" in out
    assert "12° more" in out
    assert "not a diagnosis" in out.lower() or "It is not a" in out


def test_ical_file_is_written_and_parses(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    answers = _answers(tmp_path, {"sound.pop": True})
    out_file = tmp_path / "plan.ics"
    code = main(
        [
            "plan",
            "--answers",
            answers,
            "--ical",
            str(out_file),
            "--start",
            "2026-12-01",
            "--time",
            "07:30",
            "--json",
        ]
    )
    assert code == 0
    captured = capsys.readouterr()
    assert "calendar written" in captured.err
    doc = json.loads(captured.out)
    cal = icalendar.Calendar.from_ical(out_file.read_bytes())
    events = list(cal.walk("VEVENT"))
    assert len(events) == len({tuple(e["days"]) for e in doc["exercises"]})
    assert all(e.decoded("DTSTART").hour == 7 for e in events)


def test_ical_for_an_emergency_plan_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    answers = _answers(tmp_path, {"neuro.bladder_change": True})
    code = main(["plan", "--answers", answers, "--ical", str(tmp_path / "x.ics")])
    assert code == 3
    assert "no exercises" in capsys.readouterr().err
    assert not (tmp_path / "x.ics").exists()


def test_gait_file_tilt_is_used(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    answers = _answers(tmp_path, {"sound.pop": True})
    gait = tmp_path / "gait.json"
    gait.write_text(
        json.dumps(
            {
                "schema": "crepitus.gait/1",
                "sample_rate": 100.0,
                "duration_s": 60.0,
                "initial_contacts": [],
                "cadence_spm": 108.0,
                "pelvic_tilt_deg": {"standing": 5.0, "walking_mean": 12.0, "walking_range": 3.0},
            }
        )
    )
    assert main(["plan", "--answers", answers, "--gait", str(gait), "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    ids = [c["id"] for c in doc["posture_details"]]
    assert "tilt-possibly-forward" in ids


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--start", "tomorrow"], "--start"),
        (["--time", "25:99"], "--time"),
        (["--tilt-deg", "nan"], "finite"),
        (["--remind-min", "-1"], "--remind-min"),
    ],
)
def test_bad_options_give_one_line_and_exit_3(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], extra: list[str], message: str
) -> None:
    answers = _answers(tmp_path, {"sound.pop": True})
    assert main(["plan", "--answers", answers, *extra]) == 3
    err = capsys.readouterr().err
    assert err.startswith("crepitus: error:")
    assert message in err
    assert "Traceback" not in err


def test_bad_answers_exit_3(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"findings": {"sound.popp": true}}')
    assert main(["plan", "--answers", str(bad)]) == 3
    assert "sound.popp" in capsys.readouterr().err
    assert main(["plan", "--answers", str(tmp_path / "missing.json")]) == 3


def test_not_a_gait_file_exit_3(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    answers = _answers(tmp_path, {"sound.pop": True})
    gait = tmp_path / "gait.json"
    gait.write_text('{"schema": "crepitus.sounds/1"}')
    assert main(["plan", "--answers", answers, "--gait", str(gait)]) == 3
    assert "crepitus.gait/1" in capsys.readouterr().err


def test_real_subprocess(tmp_path: Path) -> None:
    answers = _answers(tmp_path, {"sound.grind": True, "history.osteoporosis": True})
    result = subprocess.run(
        [sys.executable, "-m", "crepitus.cli.main", "plan", "--answers", answers, "--json"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["schema"] == "crepitus.plan/1"
    assert "mcgill_curl_up" not in [e["id"] for e in doc["exercises"]]


def test_progress_reads_sessions_from_the_diary(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], screen_all_no: dict[str, bool]
) -> None:
    for day in ("2026-11-01", "2026-11-02", "2026-11-03"):
        code = main(
            [
                "log",
                "--exercise",
                "knee_plank",
                "--pain-during",
                "2",
                "--pain-next-morning",
                "1",
                "--baseline-pain",
                "1",
                "--sets",
                "3",
                "--hold-s",
                "10",
                "--on",
                day,
            ]
        )
        assert code == 0
    code = main(
        [
            "log",
            "--exercise",
            "bird_dog",
            "--pain-during",
            "2",
            "--pain-next-morning",
            "6",
            "--baseline-pain",
            "1",
            "--sets",
            "3",
            "--on",
            "2026-11-03",
        ]
    )
    assert code == 0
    capsys.readouterr()
    # a complete screen: loading exercises are only planned (and progressed) after it
    answers = _answers(tmp_path, {**screen_all_no, "sound.pop": True, "pain.score": 1})
    assert main(["plan", "--answers", answers, "--progress", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    actions = {p["exercise_id"]: (p["action"], p["to"]) for p in doc["progression"]}
    assert actions["knee_plank"] == ("progress", "plank")
    assert actions["bird_dog"] == ("regress", "dead_bug")
    assert actions["cat_cow"][0] == "hold"
    assert main(["plan", "--answers", answers, "--progress"]) == 0
    assert "Progress check (from your diary):" in capsys.readouterr().out


def test_new_nerve_symptom_in_the_diary_stops_progression(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for day in ("2026-11-01", "2026-11-02", "2026-11-03"):
        assert (
            main(
                [
                    "log",
                    "--exercise",
                    "plank",
                    "--pain-during",
                    "0",
                    "--pain-next-morning",
                    "0",
                    "--sets",
                    "3",
                    "--on",
                    day,
                ]
            )
            == 0
        )
    assert main(["log", "--sound", "pop", "--pain", "3", "--symptom", "neuro.leg_weakness"]) == 0
    capsys.readouterr()
    answers = _answers(tmp_path, {"sound.pop": True, "pain.score": 0})
    assert main(["plan", "--answers", answers, "--progress", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["progression"]
    assert {p["action"] for p in doc["progression"]} == {"stop"}


@pytest.mark.parametrize(
    ("offset_deg", "expected_cue"),
    [(0.0, "tilt-within-error"), (14.0, "tilt-clearly-forward"), (-14.0, "tilt-tucked")],
)
def test_motion_recording_tilt_drives_the_posture_cue(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], offset_deg: float, expected_cue: str
) -> None:
    """Synthetic world → motion CSV → ``crepitus plan --motion``: the band follows the tilt.

    Offsets sit well inside their bands (0 in [-10, 5), ±14 beyond ±10) so the
    estimator's error on this clean synthetic signal cannot change the band.
    """
    import dataclasses

    from crepitus.synth.imu import simulate_imu
    from crepitus.synth.walk import simulate_walk

    world = dataclasses.replace(
        simulate_walk(walking_s=20, rng=11), walking_tilt_offset_deg=offset_deg
    )
    motion = simulate_imu(world, orientation="random", rng=11).write_csv(tmp_path / "walk.csv")
    answers = _answers(tmp_path, {"sound.pop": True})
    assert main(["plan", "--answers", answers, "--motion", str(motion), "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    banded = [
        c["id"]
        for c in doc["posture_details"]
        if c["id"]
        in {"tilt-tucked", "tilt-within-error", "tilt-possibly-forward", "tilt-clearly-forward"}
    ]
    assert banded == [expected_cue]


@pytest.mark.parametrize("code", ["sound.after_trauma", "pain.sudden_severe", "pain.thoracic"])
def test_a_warning_sign_yes_without_a_red_flag_rule_still_holds_back_loading(
    code: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], screen_all_no: dict[str, bool]
) -> None:
    # Review 2, P1-3: a "yes" no red-flag rule acts on must not get planks "as a safe start".
    answers = _answers(tmp_path, {**screen_all_no, code: True, "pain.score": 3, "pain.weeks": 3})
    assert main(["plan", "--answers", answers, "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    lib = load_library()
    assert not [e["id"] for e in doc["exercises"] if lib[e["id"]].loading]

"""The exercise library and posture cues load strictly and hold what the contract promises."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from crepitus.errors import KnowledgeBaseError
from crepitus.findings import load_vocabulary
from crepitus.knowledge.files import load_data_file
from crepitus.plan.library import CONTRACT_IDS, load_library, parse_library
from crepitus.plan.posture import load_posture, parse_posture


def _doc() -> dict[str, Any]:
    return copy.deepcopy(dict(load_data_file("exercises.yaml")))


def _exercise(doc: dict[str, Any], exercise_id: str) -> dict[str, Any]:
    return next(e for e in doc["exercises"] if e["id"] == exercise_id)


def test_contract_ids_exist() -> None:
    lib = load_library()
    for exercise_id in CONTRACT_IDS:
        assert exercise_id in lib


def test_issue_progressions_exist() -> None:
    lib = load_library()
    for exercise_id in (
        "dead_bug",
        "glute_bridge",
        "wall_plank",
        "knee_plank",
        "side_plank_knees",
        "mcgill_curl_up",
        "standing_pelvic_tilt",
        "walking_with_bracing",
    ):
        assert exercise_id in lib


def test_seed_strength_exercises_are_loading_and_mobility_is_not() -> None:
    lib = load_library()
    for exercise_id in ("plank", "side_plank", "bird_dog"):
        assert lib[exercise_id].loading
    for exercise_id in ("cat_cow", "pelvic_tilt", "abdominal_bracing"):
        assert not lib[exercise_id].loading


def test_every_entry_has_provenance_and_lay_content() -> None:
    lib = load_library()
    for ex in lib:
        assert ex.source.strip() and ex.rationale.strip()
        assert len(ex.instructions) >= 3
        assert ex.mistakes
        for c in ex.contraindications:
            assert c.source.strip() and c.text.strip()


def test_contraindication_codes_are_vocabulary_codes() -> None:
    vocab = load_vocabulary()
    for ex in load_library():
        for c in ex.contraindications:
            assert all(code in vocab for code in c.any_true)


def test_progression_ladders_terminate() -> None:
    """Following ``progression.to`` (or ``regression.to``) never loops back."""
    lib = load_library()
    for attr in ("progression", "regression"):
        for ex in lib:
            seen = {ex.id}
            target = getattr(ex, attr).to
            while target is not None:
                assert target not in seen, f"{attr} loop through {target}"
                seen.add(target)
                target = getattr(lib[target], attr).to


def test_pyramid_doses_have_one_rep_count_per_set() -> None:
    bird_dog = load_library()["bird_dog"].dosage
    assert bird_dog.reps == (6, 4, 2)
    assert bird_dog.sets == 3
    assert bird_dog.hold_s == 10


def test_unknown_key_is_rejected() -> None:
    doc = _doc()
    _exercise(doc, "plank")["soruce"] = "typo"
    with pytest.raises(KnowledgeBaseError, match="unknown key"):
        parse_library(doc)


def test_missing_source_is_rejected() -> None:
    doc = _doc()
    del _exercise(doc, "bird_dog")["source"]
    with pytest.raises(KnowledgeBaseError, match="source"):
        parse_library(doc)


def test_contraindication_without_source_is_rejected() -> None:
    doc = _doc()
    del _exercise(doc, "plank")["contraindications"][0]["source"]
    with pytest.raises(KnowledgeBaseError, match="source"):
        parse_library(doc)


def test_unknown_progression_target_is_rejected() -> None:
    doc = _doc()
    _exercise(doc, "knee_plank")["progression"]["to"] = "one_arm_plank"
    with pytest.raises(KnowledgeBaseError, match="unknown exercise 'one_arm_plank'"):
        parse_library(doc)


def test_unknown_finding_code_is_rejected() -> None:
    doc = _doc()
    _exercise(doc, "plank")["contraindications"][0]["any_true"] = ["history.hypertensoin"]
    with pytest.raises(KnowledgeBaseError, match="unknown finding code"):
        parse_library(doc)


def test_substitute_needs_a_target() -> None:
    doc = _doc()
    del _exercise(doc, "plank")["contraindications"][1]["use"]
    with pytest.raises(KnowledgeBaseError, match="use"):
        parse_library(doc)


def test_pyramid_length_must_match_sets() -> None:
    doc = _doc()
    _exercise(doc, "bird_dog")["dosage"]["reps"] = [6, 4]
    with pytest.raises(KnowledgeBaseError, match="one item per set"):
        parse_library(doc)


def test_missing_contract_exercise_is_rejected() -> None:
    doc = _doc()
    doc["exercises"] = [e for e in doc["exercises"] if e["id"] != "side_plank"]
    # side_plank_knees progresses to side_plank, so the reference check fires first.
    with pytest.raises(KnowledgeBaseError, match="side_plank"):
        parse_library(doc)


def test_duplicate_id_is_rejected() -> None:
    doc = _doc()
    doc["exercises"].append(copy.deepcopy(_exercise(doc, "plank")))
    with pytest.raises(KnowledgeBaseError, match="duplicate"):
        parse_library(doc)


def test_loading_exercise_cannot_be_gentle() -> None:
    doc = _doc()
    _exercise(doc, "plank")["gentle"] = True
    with pytest.raises(KnowledgeBaseError, match="gentle"):
        parse_library(doc)


def test_posture_cues_load_with_sources() -> None:
    book = load_posture()
    assert book.cues
    assert all(c.source.strip() for c in book.cues)
    assert "3–9" in book.tilt_accuracy_note


def test_posture_bands_with_a_gap_are_rejected() -> None:
    doc = copy.deepcopy(dict(load_data_file("posture.yaml")))
    band = next(c for c in doc["cues"] if c["id"] == "tilt-possibly-forward")
    band["tilt_min_deg"] = 6
    with pytest.raises(KnowledgeBaseError, match="gap or overlap"):
        parse_posture(doc)


def test_posture_unknown_key_is_rejected() -> None:
    doc = copy.deepcopy(dict(load_data_file("posture.yaml")))
    doc["cues"][0]["sauce"] = "x"
    with pytest.raises(KnowledgeBaseError, match="unknown key"):
        parse_posture(doc)


def test_plan_package_imports_no_adapter_or_heavy_module() -> None:
    """House rule 1: core packages never import storage, web or CLI (checked in a fresh process)."""
    import subprocess
    import sys

    code = (
        "import sys, crepitus.plan, crepitus.plan.generator, crepitus.plan.ical; "
        "bad = [m for m in sys.modules if m.split('.')[0] in "
        "('numpy', 'scipy', 'sqlalchemy', 'matplotlib', 'av', 'soundfile') "
        "or m.startswith(('crepitus.storage', 'crepitus.cli', 'crepitus.web', 'crepitus.diary'))]; "
        "print(','.join(bad))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    ).stdout.strip()
    assert out == ""


def test_a_repetition_pyramid_is_spelled_out_for_lay_readers() -> None:
    # Review 2, P3-3: "3 sets of 6/4/2 per side" was unclear.
    from crepitus.plan.library import Dosage

    text = Dosage(sets=3, days_per_week=7, reps=(6, 4, 2), per_side=True).describe()
    assert text == "3 sets: 6, then 4, then 2 repetitions per side, every day"
    assert Dosage(sets=2, days_per_week=5, reps=8).describe() == "2 × 8 repetitions, 5 days a week"

"""`crepitus intake` as a real process, and the CLI module's import cost."""

from __future__ import annotations

import json
import subprocess
import sys


def test_intake_json_in_a_real_process() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "crepitus.cli.main", "intake", "--file", "-", "--json"],
        input="clunking in my spine, can't feel when I wipe, no fever",
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert doc["schema"] == "crepitus.findings/1"
    assert doc["findings"] == {
        "sound.snap": True,
        "neuro.saddle_numbness": True,
        "systemic.fever": False,
    }


def test_registering_the_command_does_not_import_the_intake_engine() -> None:
    code = (
        "import sys; import crepitus.cli.commands.intake as m; "
        "print('crepitus.intake' in sys.modules, 'yaml' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    ).stdout.split()
    assert out == ["False", "False"]

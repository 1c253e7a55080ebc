"""Quality floors on the development set: a regression in attribution or detection fails CI.

Scored with the shared scorer (../shared/tools/score_disclosures.py) against the gold
disclosures of the two seed documents. Floors: document F1 >= 0.95, attributed F1 >= 0.90.
"""
import subprocess
import sys

import pytest

from analyzer.cli import main
from conftest import MMA, SHARED, require_shared

SCORER = SHARED / "tools" / "score_disclosures.py"
GOLD = SHARED / "gold" / "seeds.yaml"
FLOORS = {"document": 0.95, "attributed": 0.90}


def test_dev_set_scores_hold_their_floors(tmp_path):
    require_shared(SCORER)
    assert main(["analyze", str(MMA), "--out", str(tmp_path), "--quiet"]) == 0
    run = subprocess.run([sys.executable, str(SCORER), str(GOLD), str(tmp_path / "mentions.csv"), "--quiet",
                          "--min-f1", str(FLOORS["document"]), "--min-attributed-f1", str(FLOORS["attributed"])],
                         capture_output=True, text=True)
    scores = {line.split()[0]: float(line.split()[-1]) for line in run.stdout.splitlines() if " F1 " in line}
    print(run.stdout)
    assert run.returncode == 0, run.stdout + run.stderr
    for name, floor in FLOORS.items():
        assert scores[name] >= floor

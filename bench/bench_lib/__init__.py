"""The bench runner's pieces (bench/run.py drives them). The integration-test harness
(tests/integration/hermes_itest) already knows how to start Hermes, find free ports, talk to the
engine and export the Debian image's filesystem: it is put on the import path here so every
module can reuse it instead of repeating it."""
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
_ITEST_DIR = REPO_ROOT / "tests" / "integration"
if str(_ITEST_DIR) not in sys.path:
    sys.path.insert(0, str(_ITEST_DIR))

"""Search tests: put tune_helpers on the path (tests import with --import-mode=importlib)."""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from tune_helpers import write_space, write_toy


@pytest.fixture
def toy(tmp_path):
    return write_toy(tmp_path), write_space(tmp_path)

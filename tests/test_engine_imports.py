import subprocess
import sys


def test_engine_imports_only_numpy_and_scipy():
    code = (
        "import sys, glassnet.nn;"
        "bad = [m for m in ('pandas', 'matplotlib', 'rich', 'sklearn', 'torch', 'optuna')"
        " if m in sys.modules]; print(','.join(bad))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"glassnet.nn imported {out.stdout.strip()}"

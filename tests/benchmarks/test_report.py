"""The README's Performance tables are rendered from results.json by benchmarks/report.py."""

import importlib.util
from pathlib import Path

_PATH = Path(__file__).resolve().parents[2] / "benchmarks" / "report.py"
_spec = importlib.util.spec_from_file_location("glassnet_bench_report", _PATH)
report = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(report)


def test_section_renders_rates_ratios_and_targets():
    results = {
        "machine": {"threads_per_library": 2, "cpu": "Test CPU", "logical_cpus": 2,
                    "load_average_at_start": [0.25, 0, 0],
                    "versions": {"python": "3.11", "numpy": "2.4", "torch": None,
                                 "sklearn": "1.9"},
                    "blas": [{"filepath": "/x/numpy.libs/libopenblas.so", "internal_api":
                              "openblas", "version": "0.3.31", "architecture": "Haswell"}]},
        "settings": {"rounds": 5, "rounds_scale": {"small": 4, "medium": 2}},
        "total_seconds": 12.3,
        "dense": [{"network": "small", "sizes": [56, 10, 1], "batch_size": 32, "contenders": {
            "glassnet": {"samples_per_second": 500000.0},
            "sklearn": {"samples_per_second": 100000.0, "glassnet_speedup": 5.0},
            "gemm_only": {"samples_per_second": 2e6, "glassnet_speedup": 0.25}}}],
        "checks": [{"name": "small b32: glassnet / sklearn samples/s", "target": ">= 3",
                    "value": 5.0, "met": True},
                   {"name": "memory", "target": "<= 1.2", "value": 1.5, "met": False}],
    }
    text = report.section(results)
    assert "**2 thread(s) per library**: Test CPU" in text
    assert "openblas 0.3.31 (Haswell)" in text
    assert "| small 56-10-1 | 32 | 500,000 | - | 100,000 | 2,000,000 | - | 5.00x | 25% |" in text
    assert "| small b32: glassnet / sklearn samples/s >= 3 | 5 | yes |" in text
    assert "| memory <= 1.2 | 1.5 | **no** |" in text

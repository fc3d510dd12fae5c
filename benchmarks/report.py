"""Markdown for the README's Performance section from one or more ``results.json`` files.

    python benchmarks/report.py benchmarks/results-threads1.json benchmarks/results.json
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def _blas(machine):
    numpy_blas = [b for b in machine["blas"] if "numpy" in b.get("filepath", "")]
    b = (numpy_blas or machine["blas"] or [{}])[0]
    return f"{b.get('internal_api', '?')} {b.get('version', '?')} ({b.get('architecture', '?')})"


def _ratio(entry, percent=False):
    if entry is None or "glassnet_speedup" not in entry:
        return "-"
    value = entry["glassnet_speedup"]
    return f"{value:.0%}" if percent else f"{value:.2f}x"


def _rate(entry):
    return "-" if entry is None else f"{entry['samples_per_second']:,.0f}"


def section(results):
    m, s = results["machine"], results["settings"]
    v = m["versions"]
    lines = [
        f"**{m['threads_per_library']} thread(s) per library**: {m['cpu']}, "
        f"{m['logical_cpus']} logical CPUs, load average at start "
        f"{m['load_average_at_start'][0]:.1f}; python {v['python']}, numpy {v['numpy']}, "
        f"torch {v.get('torch')}, sklearn {v.get('sklearn')}; NumPy's BLAS {_blas(m)}; "
        f"{s['rounds']} timed rounds (x{s.get('rounds_scale', {}).get('small', 1)} small, "
        f"x{s.get('rounds_scale', {}).get('medium', 1)} medium); "
        f"{results['total_seconds']:.0f} s in all.",
        "",
        "| network | batch | glassnet | PyTorch | scikit-learn | GEMM only | vs PyTorch "
        "| vs sklearn | share of ceiling |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results["dense"]:
        c = r["contenders"]
        lines.append(
            f"| {r['network']} {'-'.join(map(str, r['sizes']))} | {r['batch_size']} "
            f"| {_rate(c.get('glassnet'))} | {_rate(c.get('pytorch'))} "
            f"| {_rate(c.get('sklearn'))} | {_rate(c.get('gemm_only'))} "
            f"| {_ratio(c.get('pytorch'))} | {_ratio(c.get('sklearn'))} "
            f"| {_ratio(c.get('gemm_only'), percent=True)} |")
    lines.append("")
    if "sentiment" in results:
        t = results["sentiment"]
        lines.append(f"- Sentiment ({t['architecture']}, batch {t['batch_size']}): "
                     f"**{t['reviews_per_second']:,.0f} reviews/s** of training, **test accuracy "
                     f"{t['test_accuracy']:.2%}** (the course: 1,275/s at 85.9%).")
    if "bike" in results:
        b = results["bike"]
        lines.append(f"- Bike sharing ({b['architecture']}, batch {b['batch_size']}): "
                     + (f"validation MSE below {b['threshold']} after {b['epochs']} epochs, "
                        f"**{b['seconds']:.2f} s** of fit." if b["reached"] else
                        f"validation MSE {b['final_val_loss']:.3f}, not below {b['threshold']}."))
    if "memory" in results:
        mem = results["memory"]
        lines.append(f"- Memory, medium fit (batch {mem['batch_size']}): peak resident growth "
                     f"{mem['fit_peak_rss_growth_bytes'] / 2**20:.1f} MiB = "
                     f"**{mem['ratio_to_floor']:.2f}x** data + parameters + one batch's "
                     f"activations ({mem['floor_bytes'] / 2**20:.1f} MiB).")
    lines += ["", "| target | measured | met |", "|---|---:|:---:|"]
    for c in results["checks"]:
        lines.append(f"| {c['name']} {c['target']} | {c['value']:,.3g} "
                     f"| {'yes' if c['met'] else '**no**'} |")
    return "\n".join(lines) + "\n"


def main(argv=None):
    paths = [Path(p) for p in (argv if argv is not None else sys.argv[1:])]
    if not paths:
        paths = [Path(__file__).resolve().parent / "results.json"]
    print("\n".join(section(json.loads(p.read_text())) for p in paths))
    return 0


if __name__ == "__main__":
    sys.exit(main())

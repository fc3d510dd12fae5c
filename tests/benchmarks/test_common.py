"""The benchmark's timing harness: interleaving order, warm-up, the in-fit driver, ratios."""

import importlib.util
from pathlib import Path

import pytest

# loaded from its file, so the benchmarks folder never lands on sys.path of the test run
_PATH = Path(__file__).resolve().parents[2] / "benchmarks" / "common.py"
_spec = importlib.util.spec_from_file_location("glassnet_bench_common", _PATH)
common = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(common)


def test_rounds_alternate_order_and_drop_the_warmup():
    calls = []
    contenders = {name: (lambda name=name: calls.append(name)) for name in "ABC"}
    times = common.interleaved(contenders, rounds=3, warmup=1, warm=0)
    assert calls == list("ABC" "CBA" "ABC" "CBA")
    assert {k: len(v) for k, v in times.items()} == {"A": 3, "B": 3, "C": 3}


def test_each_timed_epoch_follows_a_warm_one_of_the_same_contender():
    calls, clock = [], [0.0]

    def epoch(name, seconds):
        def run():
            calls.append(name)
            clock[0] += seconds
        return run

    contenders = {"A": epoch("A", 1.0), "B": epoch("B", 2.0)}
    real = common.time.perf_counter
    common.time.perf_counter = lambda: clock[0]
    try:
        times = common.interleaved(contenders, rounds=2, warmup=1, warm=1)
    finally:
        common.time.perf_counter = real
    assert calls == list("AABB" "BBAA" "AABB")
    assert times == {"A": [1.0, 1.0], "B": [2.0, 2.0]}  # one timed epoch each, warm-up dropped


def test_driver_runs_the_others_between_its_epochs():
    calls = []

    def train(epochs, between):
        seconds = []
        for e in range(epochs):
            calls.append(f"g{e}")
            seconds.append(float(e + 1))
            between()
        return seconds

    contenders = {"A": lambda: calls.append("A"), "B": lambda: calls.append("B")}
    times = common.interleaved(contenders, rounds=2, warmup=1, driver=("g", train), warm=0)
    assert calls == ["g0", "A", "B", "g1", "B", "A", "g2", "A", "B"]
    assert times["g"] == [2.0, 3.0]  # the warm-up epoch is dropped
    assert len(times["A"]) == len(times["B"]) == 2


def test_driver_times_only_the_epoch_after_its_warm_one():
    calls = []

    def train(epochs, between):
        seconds = []
        for e in range(epochs):
            calls.append(f"g{e}")
            seconds.append(float(e))
            between()
        return seconds

    contenders = {"A": lambda: calls.append("A")}
    times = common.interleaved(contenders, rounds=2, warmup=1, driver=("g", train), warm=1)
    assert calls == ["g0", "g1", "A", "A", "g2", "g3", "A", "A", "g4", "g5", "A", "A"]
    assert times["g"] == [3.0, 5.0]  # timed epochs 1, 3, 5 (each after a warm one); round 0 dropped


def test_summary_ratios_are_per_round_medians():
    times = {"glassnet": [1.0, 2.0, 1.0], "other": [3.0, 2.0, 5.0]}
    s = common.summarize(times, n_samples=100)
    assert s["glassnet"]["samples_per_second"] == pytest.approx(100.0)
    # per-round ratios 3, 1, 5: median 3 (the ratio of medians would be 3 / 1 as well, but
    # the per-round form pairs each epoch with its neighbour in time)
    assert s["other"]["glassnet_speedup"] == pytest.approx(3.0)
    assert "glassnet_speedup" not in s["glassnet"]

import contextlib
import io

import numpy as np
import pytest

from glassnet.classic import gates as G


@pytest.mark.parametrize("name", ["AND", "OR", "NOT", "NAND"])
def test_hand_set_gates_are_right(name):
    weights, bias = G.GATES[name]
    out = G.gate_model(weights, bias).predict(G.INPUTS)[:, 0]
    np.testing.assert_array_equal(out, G.TARGETS[name])


def test_and_table_is_the_lessons():
    weights, bias = G.GATES["AND"]
    h = G.INPUTS @ np.array(weights) + bias
    table = G.truth_table(h, G.TARGETS["AND"], G.TARGETS["AND"])
    assert list(table.columns) == ["Input 1", "Input 2", "Linear Combination",
                                   "Activation Output", "Is Correct"]
    np.testing.assert_array_equal(table["Linear Combination"], [-2.0, -1.0, -1.0, 0.0])
    assert (table["Is Correct"] == "Yes").all()
    assert G.format_table(table).startswith("Nice!  You got it all correct.")


def test_wrong_rows_are_counted():
    table = G.truth_table([0, 0, 0, 0], np.array([1, 1, 1, 1]), G.TARGETS["AND"])
    assert list(table["Is Correct"]) == ["No", "No", "No", "Yes"]
    assert G.format_table(table).startswith("You got 3 wrong.  Keep trying!")


@pytest.mark.parametrize("name", ["AND", "OR", "NOT"])
@pytest.mark.parametrize("seed", range(5))
def test_perceptron_trick_learns_linear_gates(name, seed):
    res = G.learn_gate(name, seed=seed)
    assert res.errors[-1] == 0
    np.testing.assert_array_equal(res.predict(G.INPUTS), G.TARGETS[name])


@pytest.mark.parametrize("seed", range(5))
def test_no_single_perceptron_learns_xor(seed):
    res = G.learn_gate("XOR", epochs=100, seed=seed)
    assert min(res.errors) >= 1


def test_xor_from_gates_is_exact():
    model = G.xor_from_gates()
    np.testing.assert_array_equal(model.predict(G.INPUTS)[:, 0], G.TARGETS["XOR"])
    # the hidden layer holds OR and NAND, the output AND of them
    hidden = model.layers[1].forward(model.layers[0].forward(G.INPUTS))
    np.testing.assert_array_equal(hidden[:, 0], G.TARGETS["OR"])
    np.testing.assert_array_equal(hidden[:, 1], G.TARGETS["NAND"])


def test_trained_network_learns_xor():
    model = G.train_xor_network(seed=0)
    np.testing.assert_array_equal(model.predict_classes(G.INPUTS), G.TARGETS["XOR"])


@pytest.mark.parametrize("seed", [1, 5])
def test_restarts_solve_xor(seed):
    model, tries = G.solve_xor(seed=seed, max_tries=10)
    assert tries[-1][1] == 4 and all(correct < 4 for _, correct in tries[:-1])
    assert [s for s, _ in tries] == list(range(seed, seed + len(tries)))
    np.testing.assert_array_equal(model.predict_classes(G.INPUTS), G.TARGETS["XOR"])


def test_unknown_gate():
    with pytest.raises(ValueError, match="unknown gate"):
        G.learn_gate("XNOR")


@pytest.fixture(scope="module")
def lesson_run(tmp_path_factory):
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        res = G.lesson(out=tmp_path_factory.mktemp("gates"))
    return res, buf.getvalue()


def test_lesson_prints_tables(lesson_run):
    res, text = lesson_run
    assert text.count("Input 1  Input 2  Linear Combination  Activation Output Is Correct") == 5
    for name in ("AND", "OR", "NOT", "XOR from gates", "XOR trained"):
        assert (res["tables"][name]["Is Correct"] == "Yes").all(), name
    assert {k: v for k, v in res["learned_wrong"].items() if k != "XOR"} == {
        "AND": 0, "OR": 0, "NOT": 0}
    assert res["xor_perceptron_best_wrong"] >= 1
    assert res["xor_network_correct"] == 4
    assert f"figure: {res['figure']}" in text


def test_lesson_figure(lesson_run, check_png):
    assert lesson_run[0]["figure"].name == "gates.png"
    check_png(lesson_run[0]["figure"])

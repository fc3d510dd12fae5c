import pytest

from glassnet.classic import computation_graph as G


def test_forward_values_and_backward_derivatives():
    r = G.computation_graph(5.0, 3.0, 2.0)
    assert r["values"] == {"a": 5.0, "b": 3.0, "c": 2.0, "u": 15.0, "v": 10.0, "w": 5.0,
                           "J": 20.0}
    g = r["grads"]
    assert (g["J"], g["u"], g["v"], g["w"]) == (1.0, 1.0, 1.0, -1.0)
    assert (g["a"], g["b"], g["c"]) == (5.0, 4.0, 4.0)


@pytest.mark.parametrize("a,b,c", [(2.0, -1.0, 4.0), (0.5, 7.0, -3.0), (1.0, 2.0, 3.0)])
def test_closed_forms_and_finite_differences(a, b, c):
    r = G.computation_graph(a, b, c)
    assert r["values"]["J"] == pytest.approx((a - 1) * (b + c))
    assert r["grads"]["a"] == pytest.approx(b + c)  # dJ/da = b + c
    assert r["grads"]["b"] == pytest.approx(a - 1) == r["grads"]["c"]  # dJ/db = dJ/dc = a - 1
    for k in "abc":
        assert r["finite_differences"][k] == pytest.approx(r["grads"][k], abs=1e-6)


def test_edges_carry_the_local_derivatives():
    edges = G.computation_graph(5.0, 3.0, 2.0)["edges"]
    assert edges[("a", "u")] == 3.0 and edges[("b", "u")] == 5.0  # du/da = b, du/db = a
    assert edges[("w", "J")] == -1.0


def test_lesson_figure(tmp_path, check_png):
    check_png(G.lesson(verbose=False, out=tmp_path)["figure"])


def test_a_graph_with_a_missing_input_is_named():
    with pytest.raises(ValueError, match="node 'u' needs \\['b'\\]"):
        G.forward({"a": 1.0, "c": 2.0})

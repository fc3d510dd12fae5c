import numpy as np
import pytest

from glassnet.classic import nine_steps as N


@pytest.fixture(scope="module")
def lesson_run(tmp_path_factory):
    return N.lesson(quick=True, verbose=False, out=tmp_path_factory.mktemp("nine"))


def test_parameter_count_check(lesson_run):
    assert lesson_run["parameters"] == {"formula": 47, "counted": 47}
    assert (lesson_run["n_train"], lesson_run["n_test"], lesson_run["n_data"]) == (7000, 3000,
                                                                                   10000)


def test_replay_of_the_tutorials_seeded_start(lesson_run):
    # epoch 1 of the tutorial's own stream (np.random.seed(42): data, then the layers)
    first = lesson_run["curve"][0]
    assert first[0] == 1
    assert first[1] == pytest.approx(3.769663860402, abs=1e-9)  # its printed loss metric
    assert first[2] == pytest.approx(3.081227880650, abs=1e-9)  # the MSE


def test_standardization_uses_the_training_columns_only():
    rs = np.random.RandomState(0)
    train, test = rs.rand(2, 70) * 100, rs.rand(2, 30) * 100 + 50
    (tr, te), (mean, _) = N.standardize(train, test)
    np.testing.assert_allclose(tr.mean(axis=1), 0, atol=1e-12)
    np.testing.assert_allclose(tr.std(axis=1), 1, atol=1e-12)
    np.testing.assert_allclose(mean[:, 0], train.mean(axis=1))
    assert np.all(te.mean(axis=1) > 1)  # the test set keeps its shift: nothing leaked


def test_backward_averages_over_the_batch():
    rs = np.random.RandomState(1)
    net = N.build_network(rs, [2, 3, 1])
    X, y = rs.randn(2, 5), rs.randn(1, 5)
    N.backward_prop(net, y, N.forward_prop(net, X))
    # dW of the output layer by hand: (y_hat - y) A_prev.T / m
    y_hat = net[1].A
    np.testing.assert_allclose(net[1].dW, (y_hat - y) @ net[0].A.T / 5, rtol=1e-13)
    # and it is the gradient of 1/(2m) sum (y_hat - y)^2, by central differences
    h, W = 1e-6, net[0].W
    W[0, 0] += h
    up = float(np.sum((N.forward_prop(net, X) - y) ** 2)) / 10
    W[0, 0] -= 2 * h
    down = float(np.sum((N.forward_prop(net, X) - y) ** 2)) / 10
    W[0, 0] += h
    N.backward_prop(net, y, N.forward_prop(net, X))
    assert net[0].dW[0, 0] == pytest.approx((up - down) / (2 * h), rel=1e-6, abs=1e-10)


def test_todays_version_beats_the_tutorials_layout(lesson_run):
    fast = lesson_run["fast"]
    assert min(fast["r2"]["test"]) >= 0.99
    assert fast["loss"]["test"] < 0.1 * lesson_run["test"]["mse"]
    assert lesson_run["test"]["mse"] < lesson_run["curve"][0][2]  # the tutorial's net learns


def test_hand_picked_cases_and_figure(lesson_run, check_png):
    np.testing.assert_array_equal(lesson_run["picked_truth"][0], [100, -40, 40])
    assert lesson_run["picked_prediction"].shape == (4, 3)
    check_png(lesson_run["figure"])

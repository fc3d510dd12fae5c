import numpy as np

from glassnet.projects import nine_step


def test_data_and_r2():
    X, Y = nine_step.make_data(n=100, seed=3)
    assert X.shape == (100, 2) and Y.shape == (100, 3)
    assert X.min() >= 0 and X.max() <= 100
    np.testing.assert_allclose(Y[:, 2], np.abs(X[:, 0] - X[:, 1]))
    np.testing.assert_allclose(nine_step.r2_scores(Y, Y), 1.0)
    np.testing.assert_allclose(nine_step.r2_scores(Y, np.broadcast_to(Y.mean(0), Y.shape)), 0.0,
                               atol=1e-12)


def test_quick_run_fits_all_three_outputs_without_overfitting():
    row = nine_step.run(quick=True, verbose=False)
    assert min(row["r2"]["test"]) > 0.99
    assert row["loss"]["test"] < 1.5 * row["loss"]["train"] + 1e-4
    assert row["passed"]

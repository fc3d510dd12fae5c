import numpy as np
import pytest

from glassnet.classic import eleven_lines as E


@pytest.fixture(scope="module")
def quick_run(tmp_path_factory):
    return E.lesson(quick=True, verbose=False, out=tmp_path_factory.mktemp("eleven"))


def test_both_loops_print_the_tutorials_errors(quick_run):
    for loop in ("tutorial", "engine"):
        errors = quick_run[loop]["errors"]
        assert list(errors) == [0, 10_000]
        for epoch, value in errors.items():
            # the tutorial prints 12 significant digits
            assert value == pytest.approx(E.PUBLISHED_ERRORS[epoch], rel=1e-11), (loop, epoch)


def test_engine_computes_the_tutorials_weights(quick_run):
    assert quick_run["max_weight_difference"] < 1e-12
    np.testing.assert_allclose(quick_run["engine"]["output"], quick_run["tutorial"]["output"],
                               atol=1e-12)
    # XOR learned: every row on the right side of 0.5
    assert np.all((quick_run["engine"]["output"][:, 0] > 0.5) == E.Y[:, 0].astype(bool))


def test_initial_weights_replay_the_seeded_draws_without_global_state():
    before = np.random.get_state()[1].copy()  # noqa: NPY002 - checking it is untouched
    syn0, syn1 = E.initial_weights(1)
    np.testing.assert_array_equal(np.random.get_state()[1], before)  # noqa: NPY002
    assert syn0.shape == (3, 4) and syn1.shape == (4, 1)
    assert np.all(np.abs(syn0) <= 1) and np.all(np.abs(syn1) <= 1)
    assert syn0[0, 0] == pytest.approx(-0.16595599059485195, abs=1e-15)  # 2 * 0.417022 - 1


def test_printout_and_figure(quick_run, check_png):
    text = E.format_errors(quick_run)
    assert "0.496410031903" in text and "0.00858452565325" in text
    check_png(quick_run["figure"])


def test_bad_epochs_are_named():
    with pytest.raises(ValueError, match="epochs must be a positive integer"):
        E.tutorial_loop(epochs=0)

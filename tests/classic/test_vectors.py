import numpy as np
import pytest

from glassnet.classic import vectors as V


def test_the_shape_quiz():
    got = dict(V.broadcast_examples())
    assert got["(3, 3) * (3, 1)"] == (3, 3)
    assert got["(2, 3) + (2, 1)"] == (2, 3)
    assert got["(4, 3) * (3, 2)"].startswith("error: operands could not be broadcast")
    assert got["np.dot((4, 3), (3, 2))"] == (4, 2)
    assert got["(1, 3) * (3, 1)"] == (3, 3)
    assert got["np.dot((1, 3), (3, 1))"] == (1, 1)
    assert got["np.dot((12288, 150), (150, 45))"] == (12288, 45)
    assert got["randn(5).T"] == (5,)  # a rank-1 array is its own transpose
    assert got["np.dot(randn(5), randn(5).T)"] == ()
    assert got["randn(5).reshape(5, 1) @ .T"] == (5, 5)


def test_flatten_image_keeps_the_pixels_in_order():
    img = np.arange(32 * 32 * 3).reshape(32, 32, 3)
    v = V.flatten_image(img)
    assert v.shape == (3072, 1)
    # pixel (i, j), channel k sits at (i * 32 + j) * 3 + k
    assert v[(5 * 32 + 7) * 3 + 2, 0] == img[5, 7, 2]
    with pytest.raises(ValueError, match="height, width, channels"):
        V.flatten_image(np.zeros((32, 32)))


def test_vectorized_dot_equals_the_loop():
    r = V.vectorization(10_000)
    assert r["dot"] == pytest.approx(r["loop"], rel=1e-12)


def test_lesson(tmp_path, capsys, check_png):
    res = V.lesson(quick=True, out=tmp_path)
    text = capsys.readouterr().out
    assert "(3072, 1)" in text and "(12288, 45)" in text
    assert res["digit_vector"].shape == (64, 1)
    check_png(res["figure"])

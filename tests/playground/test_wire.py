"""Binary frames: a JSON header and aligned arrays, read back without copying."""

import numpy as np

from glassnet.playground.wire import pack, quantize, unpack


def test_pack_round_trip_with_aligned_arrays():
    w = np.arange(7, dtype=np.float32) / 3
    m = np.arange(15, dtype=np.uint8).reshape(3, 5)
    frame = pack({"type": "frame", "epoch": 12, "loss": {"train": 0.25}},
                 [("weights", w), ("map", m), ("empty", np.zeros((0, 4), np.uint8)),
                  ("more", np.ones(3))])
    header, arrays = unpack(frame)
    assert header["type"] == "frame" and header["epoch"] == 12
    np.testing.assert_array_equal(arrays["weights"], w)
    np.testing.assert_array_equal(arrays["map"], m)
    assert arrays["empty"].shape == (0, 4)
    assert arrays["more"].dtype == np.float32  # other dtypes travel as float32
    assert all(b["offset"] % 4 == 0 for b in header["blocks"])  # Float32Array needs it
    # compact: the header and the raw bytes, nothing per element
    assert len(frame) < 4 + len(frame[4:].split(b" ")[0]) + 400


def test_quantize_maps_minus_one_to_one_onto_bytes():
    q = quantize([-5.0, -1.0, 0.0, 1.0, 7.0, np.nan, np.inf])
    assert q.dtype == np.uint8
    assert list(q) == [0, 0, 128, 255, 255, 128, 255]

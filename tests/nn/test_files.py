"""``atomic_write``: what each kind of output path gets, permissions, and stale temporaries."""

import os
import stat
import threading

import pytest

from glassnet.nn.files import atomic_write, atomic_write_text, check_output, output_kind


def test_a_replaced_file_keeps_its_permissions_and_a_new_one_follows_the_umask(tmp_path):
    old = tmp_path / "old.txt"
    old.write_text("old")
    os.chmod(old, 0o640)
    atomic_write_text(old, "new")
    assert old.read_text() == "new" and stat.S_IMODE(old.stat().st_mode) == 0o640
    mask = os.umask(0o027)
    try:
        atomic_write_text(tmp_path / "fresh.txt", "x")
    finally:
        os.umask(mask)
    assert stat.S_IMODE((tmp_path / "fresh.txt").stat().st_mode) == 0o640  # 0o666 & ~0o027


def test_a_symlink_is_followed_and_kept(tmp_path):
    (tmp_path / "target.csv").write_text("old")
    os.symlink("target.csv", tmp_path / "link.csv")
    atomic_write_text(tmp_path / "link.csv", "new")
    assert os.path.islink(tmp_path / "link.csv")
    assert (tmp_path / "target.csv").read_text() == "new"
    os.symlink("missing.csv", tmp_path / "dangling.csv")  # a link to a new file makes it
    atomic_write_text(tmp_path / "dangling.csv", "made")
    assert (tmp_path / "missing.csv").read_text() == "made"


def test_a_fifo_and_a_device_are_written_to_not_replaced(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_text()))
    reader.start()
    atomic_write_text(fifo, "through the pipe")
    reader.join(10)
    assert got == ["through the pipe"] and stat.S_ISFIFO(os.stat(fifo).st_mode)
    assert output_kind("/dev/null") == "direct" and output_kind("/dev/stdout") == "direct"
    atomic_write_text("/dev/null", "gone")
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)
    assert os.listdir(tmp_path) == ["pipe"]


def test_dash_is_standard_output(capfd):
    atomic_write_text("-", "to stdout\n")
    assert capfd.readouterr().out == "to stdout\n"


def test_a_folder_is_an_error_before_anything_is_written(tmp_path):
    calls = []
    with pytest.raises(IsADirectoryError, match="is a folder"):
        atomic_write(tmp_path, calls.append)
    assert calls == [] and os.listdir(tmp_path) == []
    with pytest.raises(IsADirectoryError):
        check_output(tmp_path)
    (tmp_path / "file").write_text("x")
    with pytest.raises(NotADirectoryError):
        check_output(tmp_path / "file" / "below.csv")


def test_stale_temporaries_of_dead_processes_are_removed_by_the_next_write(tmp_path):
    dead = tmp_path / ".m.npz.glassnet-999999999-abcd1234.tmp"  # no such process
    alive = tmp_path / f".m.npz.glassnet-{os.getppid()}-abcd1234.tmp"  # a live process's
    other = tmp_path / ".other.npz.glassnet-999999999-abcd1234.tmp"  # another file's
    for p in (dead, alive, other):
        p.write_bytes(b"half a model")
    (tmp_path / ".m.npz.glassnet-999999999-ffff0000.tmp").mkdir()  # a killed run's folder
    atomic_write_text(tmp_path / "m.npz", "new")
    assert sorted(os.listdir(tmp_path)) == sorted(["m.npz", alive.name, other.name])

"""The IMDB loader: the repository copies, and the download path with a local fake archive (the
network is never used: the archive is served from a file:// URL)."""

import hashlib
import io
import lzma
import tarfile
from pathlib import Path

import pytest

from glassnet.datasets import imdb
from glassnet.datasets.imdb import cache_dir, download, load_imdb, sha256_file


def test_repository_copies():
    for split in ("train", "test"):
        df = load_imdb(split)
        assert len(df) == 25_000 and list(df.columns) == ["label", "rating", "text"]
        assert (df["label"] == "positive").sum() == 12_500
        assert df.loc[df["label"] == "positive", "rating"].between(7, 10).all()
        assert df.loc[df["label"] == "negative", "rating"].between(1, 4).all()
        assert df["text"].str.len().min() > 10
        assert not df["text"].str.contains("\t").any()


REVIEWS = {
    "aclImdb/train/pos/10_9.txt": "Great\tfilm.\nLoved it",
    "aclImdb/train/pos/2_8.txt": 'A "fine" film',
    "aclImdb/train/neg/0_1.txt": "Awful.<br />Dull",
    "aclImdb/test/pos/0_10.txt": "Superb",
    "aclImdb/test/neg/5_3.txt": "Bad, bad, bad",
    "aclImdb/train/unsup/0_0.txt": "not labelled: ignored",
    "aclImdb/README": "readme",
}


def _fake_archive(path):
    with tarfile.open(path, "w:gz") as tar:
        for name, text in REVIEWS.items():
            data = text.encode("utf-8")
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path.as_uri(), hashlib.sha256(path.read_bytes()).hexdigest()


def test_download_converts_and_caches(tmp_path):
    url, digest = _fake_archive(tmp_path / "served.tar.gz")
    home = tmp_path / "cache"
    df = load_imdb("train", data_home=home, url=url, sha256=digest, progress=False)
    assert df["label"].tolist() == ["positive", "positive", "negative"]
    assert df["rating"].tolist() == [8, 9, 1]  # ordered by review id: 2 before 10
    assert df["text"].tolist() == ['A "fine" film', "Great film. Loved it", "Awful.<br />Dull"]
    assert sorted(p.name for p in home.iterdir()) == ["imdb_test.tsv.xz", "imdb_train.tsv.xz"]
    with lzma.open(home / "imdb_test.tsv.xz", "rt") as f:
        assert f.read() == "label\trating\ttext\npositive\t10\tSuperb\nnegative\t3\tBad, bad, bad\n"
    # The second load reads the cache: a broken URL proves nothing is fetched.
    again = load_imdb("test", data_home=home, url="file:///nonexistent", sha256="0")
    assert again["text"].tolist() == ["Superb", "Bad, bad, bad"]


def test_checksum_mismatch_keeps_nothing(tmp_path):
    url, digest = _fake_archive(tmp_path / "served.tar.gz")
    home = tmp_path / "cache"
    with pytest.raises(ValueError, match="checksum mismatch"):
        load_imdb("train", data_home=home, url=url, sha256="0" * 64, progress=False)
    assert list(home.iterdir()) == []
    # An archive already in the cache is checked before use as well.
    (home / "aclImdb_v1.tar.gz").write_bytes(b"not the archive")
    with pytest.raises(ValueError, match="expected sha256"):
        load_imdb("train", data_home=home, url=url, sha256=digest)


def test_download_with_progress_bar(tmp_path):
    url, digest = _fake_archive(tmp_path / "served.tar.gz")
    dest = download(url, tmp_path / "got" / "a.tar.gz", digest, progress=True)
    assert sha256_file(dest) == digest
    assert not (tmp_path / "got" / "a.tar.gz.part").exists()


def test_missing_without_download_and_bad_split(tmp_path):
    with pytest.raises(FileNotFoundError, match="downloading is switched off"):
        load_imdb("train", data_home=tmp_path, download_if_missing=False)
    with pytest.raises(ValueError, match="split"):
        load_imdb("validation")


def test_cache_dir_follows_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("GLASSNET_CACHE", str(tmp_path / "gc"))
    assert cache_dir() == tmp_path / "gc"
    monkeypatch.delenv("GLASSNET_CACHE")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_dir() == tmp_path / "xdg" / "glassnet"
    # Without data_home the search goes repository data/ first, then the cache.
    assert imdb._repo_data_dir().name == "data"


def test_a_failed_download_names_the_url_the_cache_folder_and_the_variable(tmp_path):
    from glassnet.errors import DataError

    url = (tmp_path / "not-served.tar.gz").as_uri()  # fails at once, like a machine offline
    with pytest.raises(DataError) as info:
        load_imdb("train", data_home=tmp_path / "cache", url=url, sha256="0" * 64,
                  progress=False)
    message = str(info.value)
    assert message.startswith(f"could not download {url} (")
    assert f"put aclImdb_v1.tar.gz in {tmp_path / 'cache'} (the cache folder" in message
    assert "GLASSNET_CACHE" in message and "\n" not in message
    assert not list((tmp_path / "cache").iterdir())  # no partial file left


def test_the_sample_inside_the_package():
    from glassnet.datasets.imdb import SAMPLE_SIZE, full_data_present

    assert full_data_present()  # a source checkout keeps the full data in data/
    for split in ("train", "test"):
        df = load_imdb(split, sample=True)
        assert len(df) == SAMPLE_SIZE and (df["label"] == "positive").sum() == SAMPLE_SIZE // 2
        full = load_imdb(split)
        assert df["text"].isin(set(full["text"])).all()  # reviews of that very split
    assert not full_data_present(data_home=Path("/nonexistent"))

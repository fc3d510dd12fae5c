"""The Large Movie Review Dataset (IMDB): 25,000 training and 25,000 test reviews, half positive.

Maas, A. L. et al. (2011), "Learning Word Vectors for Sentiment Analysis", ACL. The reviews are
too large for the wheel, so ``load_imdb`` looks for ``imdb_<split>.tsv.xz`` in

1. the ``data/`` folder of a source checkout of glassnet (the repository keeps both files),
2. the user cache folder (``$GLASSNET_CACHE``, else ``$XDG_CACHE_HOME/glassnet``, else
   ``~/.cache/glassnet``),

and otherwise downloads the official archive (84 MB), checks its SHA-256, converts it to the
same two files in the cache and deletes the archive.

File layout (TSV, xz): header ``label, rating, text``; label positive/negative, rating 1-10 (from
the review's file name ``<id>_<rating>.txt``), the raw review with tabs and newlines folded to
spaces; positives first, then negatives, each ordered by review id.
"""

from __future__ import annotations

import csv
import hashlib
import lzma
import os
import re
import tarfile
import urllib.error
import urllib.request
from importlib import resources
from pathlib import Path

from ..errors import DataError
from ..paths import CACHE_VARIABLE, cache_dir

__all__ = ["IMDB_SHA256", "IMDB_URL", "SAMPLE_SIZE", "cache_dir", "download", "full_data_present",
           "load_imdb", "sha256_file"]

IMDB_URL = "https://ai.stanford.edu/~amaas/data/sentiment/aclImdb_v1.tar.gz"
IMDB_SHA256 = "c40f74a18d3b61f90feba1e17730e0d38e8b97c05fde7008942e91923d1658fe"
SPLITS = ("train", "test")
SAMPLE_SIZE = 2000  # reviews per split in the sample inside the package (half positive)
_NAME = re.compile(r"(\d+)_(\d+)\.txt$")


def _repo_data_dir():
    # src/glassnet/datasets/imdb.py -> the repository root is three folders up from here.
    return Path(__file__).resolve().parents[3] / "data"


def sha256_file(path, chunk=1 << 20):
    """Hex SHA-256 of a file, read in 1 MiB chunks."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while block := f.read(chunk):
            h.update(block)
    return h.hexdigest()


def download(url, dest, sha256, *, progress=True):
    """Fetch ``url`` into ``dest`` and check its SHA-256; returns ``dest``.

    The bytes go to ``dest.part`` first and are renamed only after the checksum matches, so an
    interrupted or tampered download never leaves a file that looks complete. A mismatch
    deletes the partial file and raises ``DataError`` (a ``ValueError``) with both digests; a
    download that fails (offline, refused, cut off) raises ``DataError`` naming the URL, the
    folder to put a copy in and the ``GLASSNET_CACHE`` variable.
    """
    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    part = dest.with_name(dest.name + ".part")
    try:
        try:
            digest = _fetch(url, part, dest.name, progress)
        except (urllib.error.URLError, OSError) as e:
            reason = getattr(e, "reason", None) or e
            raise DataError(
                f"could not download {url} ({reason}); to use a copy fetched elsewhere, put "
                f"{dest.name} in {dest.parent} (the cache folder; the {CACHE_VARIABLE} "
                "environment variable chooses another)"
            ) from None
        if digest != sha256:
            raise DataError(
                f"checksum mismatch for {url}: expected sha256 {sha256}, got {digest} "
                "(an interrupted or altered download); nothing was kept, try again"
            )
        os.replace(part, dest)
    except BaseException:
        part.unlink(missing_ok=True)
        raise
    return dest


def _fetch(url, part, name, progress):
    """Stream ``url`` into the file ``part``; returns the hex SHA-256 of the bytes."""
    h = hashlib.sha256()
    with urllib.request.urlopen(url, timeout=60) as response, open(part, "wb") as out:
        total = int(response.headers.get("Content-Length") or 0) or None
        bar = task = None
        if progress:
            from rich.progress import (
                BarColumn,
                DownloadColumn,
                Progress,
                TimeRemainingColumn,
                TransferSpeedColumn,
            )

            bar = Progress("[progress.description]{task.description}", BarColumn(),
                           DownloadColumn(), TransferSpeedColumn(), TimeRemainingColumn())
            bar.start()
            task = bar.add_task(f"downloading {name}", total=total)
        try:
            while block := response.read(1 << 16):
                out.write(block)
                h.update(block)
                if bar is not None:
                    bar.update(task, advance=len(block))
        finally:
            if bar is not None:
                bar.stop()
    return h.hexdigest()


def _reviews_from_archive(tar, split):
    """Rows (label, rating, text) of one split read from the open aclImdb archive."""
    rows = []
    for label, folder in (("positive", "pos"), ("negative", "neg")):
        prefix = f"aclImdb/{split}/{folder}/"
        members = []
        for m in tar.getmembers():
            if m.isfile() and m.name.startswith(prefix) and "/" not in m.name[len(prefix):]:
                match = _NAME.search(m.name)
                if match:
                    members.append((int(match.group(1)), int(match.group(2)), m))
        if not members:
            raise ValueError(f"the archive has no reviews under {prefix}")
        for _, rating, m in sorted(members, key=lambda t: t[0]):
            text = tar.extractfile(m).read().decode("utf-8")
            rows.append((label, rating, " ".join(text.split())))
    return rows


def _write_tsv_xz(rows, path):
    tmp = path.with_name(path.name + ".tmp")
    with lzma.open(tmp, "wt", encoding="utf-8", preset=6) as f:
        f.write("label\trating\ttext\n")
        f.writelines(f"{label}\t{rating}\t{text}\n" for label, rating, text in rows)
    os.replace(tmp, path)


def _convert_archive(archive, folder):
    """Write ``imdb_train.tsv.xz`` and ``imdb_test.tsv.xz`` into ``folder`` from the archive."""
    with tarfile.open(archive, "r:gz") as tar:
        for split in SPLITS:
            _write_tsv_xz(_reviews_from_archive(tar, split), folder / f"imdb_{split}.tsv.xz")


def _read_tsv(path):
    import pandas as pd  # imported here so `import glassnet.datasets` stays light

    df = pd.read_csv(path, sep="\t", quoting=csv.QUOTE_NONE, keep_default_na=False,
                     dtype={"label": str, "rating": "int64", "text": str})
    if list(df.columns) != ["label", "rating", "text"] or not df["label"].isin(
            ["positive", "negative"]).all():
        raise ValueError(f"{path} is not an IMDB review file (label, rating, text)")
    return df


def _folders(data_home):
    return [Path(data_home)] if data_home is not None else [_repo_data_dir(), cache_dir()]


def full_data_present(data_home=None):
    """True when both splits are on this machine (``load_imdb`` would not download)."""
    return all(any((f / f"imdb_{split}.tsv.xz").is_file() for f in _folders(data_home))
               for split in SPLITS)


def load_imdb(split="train", *, sample=False, data_home=None, download_if_missing=True,
              url=IMDB_URL, sha256=IMDB_SHA256, progress=True):
    """IMDB reviews of one split as a DataFrame with columns label, rating, text.

    ``split``: "train" or "test" (25,000 reviews each). ``sample=True``: the sample that ships
    inside the package instead (``SAMPLE_SIZE`` reviews of the split, half positive; see
    ``glassnet/datasets/files/NOTICE.md``), for offline use. ``data_home`` replaces the search
    path (the repository's ``data/`` and the user cache) by one folder, which also receives a
    download. ``url``/``sha256`` name the archive to fetch when no copy is found.
    """
    if split not in SPLITS:
        raise ValueError(f"split must be 'train' or 'test', got {split!r}")
    if sample:
        with resources.as_file(resources.files("glassnet.datasets")
                               / "files" / f"imdb_sample_{split}.tsv.xz") as path:
            return _read_tsv(path)
    name = f"imdb_{split}.tsv.xz"
    folders = _folders(data_home)
    for folder in folders:
        if (folder / name).is_file():
            return _read_tsv(folder / name)
    target = folders[-1]
    archive = target / "aclImdb_v1.tar.gz"
    if not archive.is_file():
        if not download_if_missing:
            raise FileNotFoundError(
                f"{name} not found in {', '.join(str(f) for f in folders)} and downloading "
                "is switched off"
            )
        download(url, archive, sha256, progress=progress)
    elif sha256_file(archive) != sha256:
        raise ValueError(f"{archive} does not have the expected sha256 {sha256}; delete it and "
                         "load again to download a fresh copy")
    _convert_archive(archive, target)
    archive.unlink()
    return _read_tsv(target / name)

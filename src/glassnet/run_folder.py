"""A run's output folder, written as one unit: at every instant it holds one run's files.

``glassnet train --out DIR`` (and ``search``) write a model, metrics, a config and plots. Were
they written one by one into ``DIR``, a crash or a second run on the same folder would leave
files of two runs side by side. A ``RunFolder`` instead

1. takes a lock beside ``DIR`` (``.DIR.glassnet.lock``, ``fcntl.flock``): a second writer fails
   at once, naming the first; the kernel drops the lock when its process dies, even by SIGKILL;
2. writes every file into a fresh sibling folder (``.DIR.glassnet-PID-TOKEN.tmp``);
3. publishes it by swapping it with ``DIR`` in one ``renameat2(RENAME_EXCHANGE)`` (Linux), so
   ``DIR`` is the old run's folder until that instant and the new run's after it. Where the
   exchange is not available, two renames (``DIR`` aside, the new folder in): a crash between
   them leaves no ``DIR`` rather than a mixed one.

Files in ``DIR`` that are not the run's (say a ``predictions.csv`` written there) are carried
into the new folder as hard links; a subfolder is refused before any work, since it cannot be
carried over atomically. The previous run's own files (``.glassnet-run.json`` lists them) go.
Leftovers of a killed run (its temporary folder, the lock file) are removed by the next run.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import json
import os
import secrets
import shutil
import stat
import time
from pathlib import Path

from .errors import UsageError
from .nn.files import check_output, fsync_path, remove_stale_temps, temp_path

__all__ = ["MANIFEST", "RunFolder"]

MANIFEST = ".glassnet-run.json"  # the run's id, command and files, written last into the folder

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: an exclusive-create lock file instead
    fcntl = None


class RunFolder:
    """The folder ``path`` for one run's files (see the module doc).

    ``own``: names of files a run of this kind writes (a previous run's copies are dropped even
    without a manifest). Use as a context manager; ``file(name)`` is where to write ``name``
    now, ``commit()`` publishes, leaving the block without ``commit`` discards everything::

        with RunFolder("runs/wine", own=("model.npz", "metrics.json")) as run:
            save_model(model, run.file("model.npz"))
            run.commit()
    """

    def __init__(self, path, own=(), command="train"):
        self.path = Path(path)
        self.own = set(own) | {MANIFEST}
        self.command = command
        self.run_id = f"{time.strftime('%Y%m%dT%H%M%S')}-{secrets.token_hex(4)}"
        self.staging = None
        self._lock = None
        self.committed = False

    # ---------------------------------------------------------------- opening
    def __enter__(self):
        return self.open()

    def __exit__(self, kind, value, tb):
        if not self.committed:
            self.abort()
        return False

    def open(self):
        """Check the folder, take the lock and make the temporary folder: every reason the run
        could not be written is raised here, before any work."""
        if self.path.exists() and not self.path.is_dir():
            raise UsageError(f"output folder {self.path} is a file, not a folder")
        self.target = Path(os.path.realpath(self.path))
        check_output(self.target / MANIFEST)
        self.target.parent.mkdir(parents=True, exist_ok=True)
        self._lock = _Lock(self.target.with_name(f".{self.target.name}.glassnet.lock"),
                           self.path)
        try:
            remove_stale_temps(self.target.parent, self.target.name)
            self._carried()  # a subfolder: refuse now, not after training
            self.staging = temp_path(self.target)
            os.mkdir(self.staging)
        except BaseException:
            self._lock.release()
            raise
        return self

    def file(self, name):
        """Where to write the run's file ``name`` (inside the temporary folder)."""
        if self.staging is None:
            raise RuntimeError("RunFolder.open() first")
        self.own.add(name)
        return self.staging / name

    def final(self, name):
        """Where ``name`` will be once the run is committed."""
        return self.path / name

    # ---------------------------------------------------------------- publishing
    def _manifest(self):
        """The previous run's file names, from its manifest (empty when there is none)."""
        try:
            data = json.loads((self.target / MANIFEST).read_text())
            return {str(f) for f in data.get("files", [])}
        except (OSError, ValueError, AttributeError, TypeError):
            return set()

    def _carried(self):
        """Entries of the current folder that are not a run's: regular files to carry over."""
        if not self.target.is_dir():
            return []
        runs = self.own | self._manifest()
        carried = []
        for entry in os.scandir(self.target):
            if entry.name in runs:
                continue
            if not entry.is_file(follow_symlinks=False) and not entry.is_symlink():
                raise UsageError(
                    f"output folder {self.path} holds {entry.name!r}, which is not a file of a "
                    f"glassnet {self.command} run; a run's folder is replaced as a whole, so "
                    "choose a new or empty folder (--out)")
            carried.append(entry.name)
        return carried

    def commit(self):
        """Publish the run: the folder becomes this run's files (plus carried files)."""
        files = sorted(p.name for p in self.staging.iterdir())
        manifest = {"run": self.run_id, "command": self.command, "files": files,
                    "written": time.strftime("%Y-%m-%dT%H:%M:%S%z")}
        for name in self._carried():
            _carry(self.target / name, self.staging / name)
        (self.staging / MANIFEST).write_text(json.dumps(manifest, indent=1) + "\n")
        for p in [*self.staging.iterdir(), self.staging]:
            fsync_path(p)
        if self.target.is_dir():
            with contextlib.suppress(OSError):
                os.chmod(self.staging, stat.S_IMODE(os.stat(self.target).st_mode))
            if not _exchange(self.staging, self.target):
                aside = temp_path(self.target)
                os.rename(self.target, aside)
                os.rename(self.staging, self.target)
                self.staging = aside
            shutil.rmtree(self.staging, ignore_errors=True)  # now the previous run's folder
        else:
            os.rename(self.staging, self.target)
        fsync_path(self.target.parent)
        self.staging = None
        self.committed = True
        self._lock.release()
        return self.path

    def abort(self):
        """Discard the temporary folder and release the lock (the folder stays as it was)."""
        if self.staging is not None:
            shutil.rmtree(self.staging, ignore_errors=True)
            self.staging = None
        if self._lock is not None:
            self._lock.release()


def _carry(src, dst):
    """``src`` into the new folder: a hard link (the same file, no copy), else a copy."""
    if os.path.islink(src):
        os.symlink(os.readlink(src), dst)
        return
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a, b):
    """Swap the paths ``a`` and ``b`` atomically (Linux ``renameat2``); False where the system
    or the file system does not offer it."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p,
                          ctypes.c_uint]
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EXDEV):
        return False
    raise OSError(err, os.strerror(err), str(b))


class _Lock:
    """An exclusive lock on ``path``, held until ``release`` or the process's end."""

    def __init__(self, path, shown):
        self.path, self.fd = Path(path), None
        for _ in range(10):
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o666)
            if fcntl is None:  # pragma: no cover
                self.fd = fd
                return
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = os.read(fd, 64).decode(errors="replace").strip() or "another process"
                os.close(fd)
                raise UsageError(f"another glassnet run (process {holder}) is writing to "
                                 f"{shown}; wait for it, or choose another --out") from None
            # The previous holder may have removed the file between our open and our lock:
            # the lock is ours only if the path still names the file we locked.
            try:
                same = os.path.samestat(os.fstat(fd), os.stat(self.path))
            except FileNotFoundError:
                same = False
            if same:
                os.ftruncate(fd, 0)
                os.write(fd, str(os.getpid()).encode())
                self.fd = fd
                return
            os.close(fd)
        raise UsageError(f"could not lock {shown}: other glassnet runs keep taking it")

    def release(self):
        if self.fd is None:
            return
        with contextlib.suppress(OSError):
            os.unlink(self.path)  # while still held: a waiting process re-checks the name
        os.close(self.fd)
        self.fd = None

"""Writing files so that a crash never leaves half of one, and an output never replaces what its
path points at.

``atomic_write(path, write)`` decides by what ``path`` is:

* ``-``: standard output, written directly;
* a FIFO, a character device or a socket (``/dev/stdout``, a named pipe), or anything under
  ``/dev`` or ``/proc``: opened and written directly (renaming over a device or a pipe would
  replace it with a plain file);
* a folder: ``IsADirectoryError``, before ``write`` is called;
* a symbolic link: followed, so the file it points at is replaced and the link kept;
* a regular file or a new path: a temporary file in the same folder, flushed and fsynced, then
  renamed over the target (``os.replace`` is atomic: readers see the old file or the new one).
  A replaced file keeps its permission bits; a new one gets the umask's (``0o666 & ~umask``).

Temporary files are named ``.NAME.glassnet-PID-TOKEN.tmp``; one whose process is gone (a
``kill -9`` mid-save) is removed by the next write to the same name in that folder.
"""

from __future__ import annotations

import errno
import os
import re
import secrets
import shutil
import stat
import sys
import time
from pathlib import Path

__all__ = ["atomic_write", "atomic_write_text", "check_output", "fsync_path", "output_kind",
           "remove_stale_temps", "temp_path"]

_TEMP = re.compile(r"^\.(?P<name>.+)\.glassnet-(?P<pid>\d+)-[0-9a-f]+\.tmp$")
_STALE_AFTER = 24 * 3600  # seconds: older temporaries are stale whatever their pid says


def output_kind(path):
    """What writing to ``path`` means: ``"stdout"``, ``"direct"`` (a pipe, a device) or
    ``"replace"`` (a regular file or a new path); a folder raises ``IsADirectoryError``."""
    if str(path) == "-":
        return "stdout"
    text = os.path.abspath(path)
    try:
        st = os.stat(path)  # follows symbolic links
    except FileNotFoundError:
        return "replace"
    if stat.S_ISDIR(st.st_mode):
        raise IsADirectoryError(errno.EISDIR, "is a folder, not a file", str(path))
    if not stat.S_ISREG(st.st_mode) or text.startswith(("/dev/", "/proc/")) or \
            os.path.realpath(path).startswith(("/dev/", "/proc/")):
        return "direct"
    return "replace"


def check_output(path):
    """Raise the ``OSError`` writing to ``path`` would meet, before any work: a folder, or a
    folder to write into that cannot be created or written. Returns ``output_kind(path)``."""
    kind = output_kind(path)
    if kind != "replace":
        return kind
    folder = Path(os.path.realpath(path)).parent
    while not folder.exists():  # the folders atomic_write would create
        folder = folder.parent
    if not folder.is_dir():
        raise NotADirectoryError(errno.ENOTDIR, "is not a folder", str(folder))
    if not os.access(folder, os.W_OK | os.X_OK):
        raise PermissionError(errno.EACCES, "Permission denied", str(folder))
    return kind


def temp_path(target):
    """A fresh temporary name beside ``target``, recognisable as glassnet's and its process's."""
    target = Path(target)
    return target.with_name(f".{target.name}.glassnet-{os.getpid()}-{secrets.token_hex(4)}.tmp")


def _alive(pid):
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True  # someone else's process
    return True


def remove_stale_temps(folder, name):
    """Remove ``folder``'s temporaries (files or folders) for ``name`` whose process is gone."""
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    now = time.time()
    for entry in entries:
        m = _TEMP.match(entry.name)
        if not m or m.group("name") != name:
            continue
        try:
            old = now - entry.stat(follow_symlinks=False).st_mtime > _STALE_AFTER
            if _alive(int(m.group("pid"))) and not old:
                continue
            if entry.is_dir(follow_symlinks=False):
                shutil.rmtree(entry.path, ignore_errors=True)
            else:
                os.unlink(entry.path)
        except OSError:
            pass  # gone already, or not ours to remove


def atomic_write(path, write):
    """Call ``write(binary_file)`` to produce ``path`` (see the module doc for what each kind of
    path gets); returns ``path``."""
    kind = output_kind(path)
    if kind == "stdout":
        sys.stdout.flush()
        write(sys.stdout.buffer)
        sys.stdout.buffer.flush()
        return path
    if kind == "direct":
        with open(path, "wb") as f:
            write(f)
        return path
    target = Path(os.path.realpath(path))  # through a symlink: replace its target, keep it
    target.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_temps(target.parent, target.name)
    try:
        old = os.stat(target)
    except FileNotFoundError:
        old = None
    tmp = temp_path(target)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0) | \
        getattr(os, "O_CLOEXEC", 0)
    fd = os.open(tmp, flags, 0o666)  # the umask applies, as for any new file
    try:
        with os.fdopen(fd, "wb") as f:
            write(f)
            f.flush()
            os.fsync(f.fileno())
        if old is not None:
            _keep_mode(tmp, old)
        os.replace(tmp, target)
        fsync_path(target.parent)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    return Path(path)


def _keep_mode(tmp, old):
    """Give the new file the replaced one's permission bits (and owner, where allowed)."""
    os.chmod(tmp, stat.S_IMODE(old.st_mode))
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        try:
            os.chown(tmp, old.st_uid, old.st_gid)
        except OSError:
            pass


def atomic_write_text(path, text):
    """Write ``text`` (UTF-8) to ``path`` as ``atomic_write`` does: metrics, configs,
    predictions."""
    data = text.encode("utf-8")
    return atomic_write(path, lambda f: f.write(data))


def fsync_path(path):
    """Flush a file, or a folder (which makes a rename in it durable, POSIX), to disk; a no-op
    where it cannot be opened."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)

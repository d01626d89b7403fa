"""Writing files safely: every output of a run is prepared first, then all are put in place together.

- Only regular files are written (new or existing ones): a folder, a device (``/dev/null``,
  ``/dev/stdout``), a named pipe or a socket is refused (``UsageError``, exit 2) rather than replaced
  by an ordinary file. ``-`` means standard output (``is_stdout``); the caller writes there itself.
  A symbolic link is followed: the file it points to is replaced, the link stays.
- ``Outputs`` prepares each output as a hidden temporary file in the target's own folder (so that
  putting it in place is a rename on one file system) and, once every one has been written,
  replaces the targets one after the other; if one cannot be put in place (a file open in Excel on
  Windows), those already replaced get their old contents back. A failure at any point leaves
  every target as it was.
- Temporary files are removed on every exit Python sees (an error, Ctrl-C, SIGTERM: the console
  script turns it into an ordinary exit). A process killed outright (SIGKILL, a power cut) cannot
  clean up: its temporaries are named ``.<target>.sr-cost-<host>-<pid>-<random>.tmp`` and the next
  run that writes into the folder removes them once they are stale (their process has ended, or
  they are older than ``STALE_SECONDS``).
- openpyxl writes each worksheet to a temporary file of its own while it saves (in the system's
  temporary folder, by ``tempfile``): while a workbook is prepared, ``tempfile.tempdir`` (the
  standard library's documented setting for that folder) points at a hidden folder beside the
  output, removed with it, so that nothing is left anywhere else.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import shutil
import socket
import stat
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from sr_cost.errors import UsageError

STDOUT = "-"  # -o -: standard output
STALE_SECONDS = 24 * 3600  # [s] a temporary older than this is stale whatever its process
# this machine, in temporaries' names: only a process of this machine is known to have ended
HOST = hashlib.sha256(socket.gethostname().encode("utf-8", "replace")).hexdigest()[:6]
_MARK = ".sr-cost-"
_TEMPORARY = re.compile(r"^\..*\.sr-cost-(?P<host>[0-9a-f]{6})-(?P<pid>[0-9]+)-[^.]*\.(?:tmp|bak|d)$")


def is_stdout(path: Path | str | None) -> bool:
    return path is not None and str(path) == STDOUT


def check_target(path: Path, what: str = "output") -> Path:
    """The file to write for ``path``: itself, or the file a symbolic link points to. A folder, a
    device, a pipe or a socket, or a folder that does not exist, is a UsageError."""
    if is_stdout(path):
        raise UsageError(f"the {what} cannot be written to standard output ('-'); give a file name")
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        mode = None
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror or exc}") from None
    if mode is None:
        folder = Path(os.path.realpath(path)).parent
        if not folder.is_dir():
            raise UsageError(f"cannot write {path}: the folder {folder} does not exist")
        return Path(os.path.realpath(path))
    if stat.S_ISDIR(mode):
        raise UsageError(f"cannot write {path}: it is a folder; give a file name inside it")
    if not stat.S_ISREG(mode):
        to_stdout = "; for standard output use -o -" if what == "output" else ""
        raise UsageError(
            f"cannot write {path}: it is not a regular file (a device, a pipe or a socket), and sr-cost "
            f"writes only files{to_stdout}"
        )
    return Path(os.path.realpath(path))


@dataclass
class _Prepared:
    shown: Path  # as the user gave it
    target: Path  # the file replaced
    tmp: Path


class Outputs:
    """The files of one run: ``add`` prepares each (written whole to a temporary file), ``commit``
    puts them all in place. Used as a context manager, whatever was prepared and not committed is
    removed on the way out."""

    def __init__(self) -> None:
        self._prepared: list[_Prepared] = []

    def __enter__(self) -> Outputs:
        return self

    def __exit__(self, *exc) -> None:
        self.discard()

    def add(self, path: Path, write: Callable[[Path], None], what: str = "output") -> None:
        """Write the output ``path`` to a temporary file beside it with ``write(tmp)``."""
        target = check_target(path, what)
        if any(p.target == target for p in self._prepared):
            raise UsageError(f"{path} is given as two outputs; choose another name for one of them")
        sweep(target.parent)
        tmp = _temporary(target, ".tmp", path)
        self._prepared.append(_Prepared(path, target, tmp))
        try:
            with _temporaries_beside(target, path):
                write(tmp)
        except PermissionError:
            raise UsageError(f"cannot write {path}: permission denied (is the folder read-only?)") from None
        except OSError as exc:
            raise UsageError(f"cannot write {path}: {exc.strerror or exc}") from None

    def commit(self) -> list[Path]:
        """Put every prepared output in place; if one cannot be, none is. Returns the paths as given."""
        done: list[tuple[_Prepared, Path | None]] = []  # (output, the backup of what it replaced)
        try:
            for p in self._prepared:
                _give_normal_permissions(p.tmp)
                backup = _backup(p) if os.path.lexists(p.target) else None
                try:
                    os.replace(p.tmp, p.target)
                except BaseException:
                    if backup is not None:
                        backup.unlink(missing_ok=True)
                    raise
                done.append((p, backup))
        except PermissionError as exc:
            self._undo(done)
            raise UsageError(
                f"cannot write {_failed(exc, self._prepared)}: permission denied (is it open in Excel, or "
                "read-only?); no output was written"
            ) from None
        except OSError as exc:
            self._undo(done)
            raise UsageError(
                f"cannot write {_failed(exc, self._prepared)}: {exc.strerror or exc}; no output was written"
            ) from None
        for _, backup in done:
            if backup is not None:
                backup.unlink(missing_ok=True)
        shown = [p.shown for p in self._prepared]
        self._prepared = []
        return shown

    def discard(self) -> None:
        for p in self._prepared:
            with contextlib.suppress(OSError):
                p.tmp.unlink(missing_ok=True)
        self._prepared = []

    @staticmethod
    def _undo(done: list[tuple[_Prepared, Path | None]]) -> None:
        for p, backup in reversed(done):
            with contextlib.suppress(OSError):
                if backup is not None:
                    os.replace(backup, p.target)
                else:
                    p.target.unlink()


def _failed(exc: OSError, prepared: list[_Prepared]) -> str:
    for p in prepared:
        if exc.filename in (str(p.target), str(p.tmp)) or exc.filename2 in (str(p.target), str(p.tmp)):
            return str(p.shown)
    return " and ".join(str(p.shown) for p in prepared)


def _backup(p: _Prepared) -> Path:
    """A second name for the file about to be replaced, so it can be put back; the file itself
    stays where it is (a hard link, or a copy where the file system has none)."""
    backup = _temporary(p.target, ".bak", p.shown)
    backup.unlink()
    try:
        os.link(p.target, backup)
    except OSError:
        shutil.copy2(p.target, backup)
    return backup


def _temporary(target: Path, suffix: str, shown: Path) -> Path:
    try:
        fd, name = tempfile.mkstemp(
            prefix=f".{target.name}{_MARK}{HOST}-{os.getpid()}-", suffix=suffix, dir=target.parent
        )
    except OSError as exc:
        raise UsageError(f"cannot write {shown}: {exc.strerror or exc} (is the folder writable?)") from None
    os.close(fd)
    return Path(name)


@contextlib.contextmanager
def _temporaries_beside(target: Path, shown: Path) -> Iterator[None]:
    """While an output is written, the temporary files of the libraries that write it (openpyxl's
    worksheets) go into a hidden folder beside it, removed afterwards."""
    try:
        folder = tempfile.mkdtemp(prefix=f".{target.name}{_MARK}{HOST}-{os.getpid()}-", suffix=".d", dir=target.parent)
    except OSError as exc:
        raise UsageError(f"cannot write {shown}: {exc.strerror or exc} (is the folder writable?)") from None
    before = tempfile.tempdir
    tempfile.tempdir = folder
    try:
        yield
    finally:
        tempfile.tempdir = before
        shutil.rmtree(folder, ignore_errors=True)


def _give_normal_permissions(path: Path) -> None:
    """mkstemp makes a file private (0600); give it the permissions a new file normally gets."""
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(path, 0o666 & ~umask)


def sweep(folder: Path, *, now: float | None = None) -> list[Path]:
    """Remove sr-cost's stale temporaries from ``folder`` (left by a run that was killed): those
    whose process, on this machine, has ended, and any older than ``STALE_SECONDS``."""
    removed = []
    now = time.time() if now is None else now
    try:
        entries = [e for e in os.scandir(folder) if e.name.startswith(".") and _MARK in e.name]
    except OSError:
        return removed
    for entry in entries:
        found = _TEMPORARY.match(entry.name)
        if found is None:
            continue
        try:
            age = now - entry.stat(follow_symlinks=False).st_mtime
        except OSError:
            continue
        ended = found["host"] == HOST and not _running(int(found["pid"]))
        if not (ended or age > STALE_SECONDS):
            continue
        path = Path(entry.path)
        with contextlib.suppress(OSError):
            if entry.is_dir(follow_symlinks=False):
                shutil.rmtree(path)
            else:
                path.unlink()
            removed.append(path)
    return removed


def _running(pid: int) -> bool:
    """Whether process ``pid`` of this machine is running. Known only on POSIX systems (signal 0
    checks without signalling); elsewhere every process is taken to be running, and its
    temporaries are removed by age alone."""
    if pid == os.getpid():
        return True
    if os.name != "posix":
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def write_atomic(path: Path, write: Callable[[Path], None], what: str = "output") -> None:
    """Call ``write(tmp_path)`` and put the result in place as ``path``: whole or not at all."""
    with Outputs() as outputs:
        outputs.add(Path(path), write, what)
        outputs.commit()


def text_writer(text: str) -> Callable[[Path], None]:
    return lambda tmp: tmp.write_text(text, encoding="utf-8", newline="")


def write_text_atomic(path: Path, text: str) -> None:
    write_atomic(path, text_writer(text))

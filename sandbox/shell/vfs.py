"""A small in-memory filesystem per host: the lab's files never touch the real disk.

Paths are absolute POSIX strings. Entries are kept in a flat dict keyed by path with a per-directory
child index, so lookups are O(1) and listing a directory is O(entries). File contents may be a
callable, evaluated on read: generated files (``/etc/resolv.conf``, ``/etc/hostname``) then always
reflect the live cluster without being rebuilt.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from dataclasses import dataclass, field

from sandbox.shell.registry import FileError

ENOENT = "No such file or directory"
EISDIR = "Is a directory"
ENOTDIR = "Not a directory"
ENOTEMPTY = "Directory not empty"
EEXIST = "File exists"

Content = str | Callable[[], str]


@dataclass
class Entry:
    """One file or directory. ``mtime`` is virtual seconds (the cluster clock)."""

    is_dir: bool
    content: Content = ""
    mode: int = 0o644
    mtime: float = 0.0
    children: set[str] = field(default_factory=set)

    def text(self) -> str:
        return self.content() if callable(self.content) else self.content


class VirtualFS:
    """The files of one node or container. ``now`` returns the virtual time used for mtimes."""

    def __init__(self, now: Callable[[], float] | None = None) -> None:
        self._now = now or (lambda: 0.0)
        self._entries: dict[str, Entry] = {"/": Entry(True, mode=0o755)}

    # -- paths --------------------------------------------------------------------------------
    @staticmethod
    def resolve(path: str, cwd: str = "/", home: str = "/") -> str:
        """Absolute normalised path; ``~`` and ``~/x`` expand against ``home``."""
        if path == "~" or path.startswith("~/"):
            path = home + path[1:]
        if not path.startswith("/"):
            path = posixpath.join(cwd or "/", path)
        norm = posixpath.normpath(path)
        if norm.startswith("//"):
            norm = "/" + norm.lstrip("/")
        return norm

    def entry(self, path: str) -> Entry | None:
        return self._entries.get(path)

    def exists(self, path: str) -> bool:
        return path in self._entries

    def is_dir(self, path: str) -> bool:
        e = self._entries.get(path)
        return e is not None and e.is_dir

    def is_file(self, path: str) -> bool:
        e = self._entries.get(path)
        return e is not None and not e.is_dir

    def _parent_dir(self, path: str, display: str) -> Entry:
        parent = posixpath.dirname(path)
        e = self._entries.get(parent)
        if e is None:
            raise FileError(display, ENOENT)
        if not e.is_dir:
            raise FileError(display, ENOTDIR)
        return e

    # -- reading ------------------------------------------------------------------------------
    def read(self, path: str, *, display: str | None = None) -> str:
        shown = display if display is not None else path
        e = self._entries.get(path)
        if e is None:
            self._check_prefix(path, shown)
            raise FileError(shown, ENOENT)
        if e.is_dir:
            raise FileError(shown, EISDIR)
        return e.text()

    def _check_prefix(self, path: str, shown: str) -> None:
        """A missing path under a regular file reports ENOTDIR, as the kernel does."""
        parent = posixpath.dirname(path)
        while parent != "/":
            e = self._entries.get(parent)
            if e is not None:
                if not e.is_dir:
                    raise FileError(shown, ENOTDIR)
                return
            parent = posixpath.dirname(parent)

    def listdir(self, path: str, *, display: str | None = None) -> list[str]:
        shown = display if display is not None else path
        e = self._entries.get(path)
        if e is None:
            raise FileError(shown, ENOENT)
        if not e.is_dir:
            raise FileError(shown, ENOTDIR)
        return sorted(e.children)

    def walk(self, path: str) -> list[str]:
        """All paths under ``path`` (itself first), depth first, sorted per directory."""
        out = [path]
        e = self._entries.get(path)
        if e is not None and e.is_dir:
            for name in sorted(e.children):
                out.extend(self.walk(posixpath.join(path, name)))
        return out

    # -- writing ------------------------------------------------------------------------------
    def write(self, path: str, text: Content, *, append: bool = False, display: str | None = None,
              mode: int | None = None) -> None:
        shown = display if display is not None else path
        e = self._entries.get(path)
        if e is not None:
            if e.is_dir:
                raise FileError(shown, EISDIR)
            if append:
                e.content = e.text() + (text() if callable(text) else text)
            else:
                e.content = text
            if mode is not None:
                e.mode = mode
            e.mtime = self._now()
            return
        parent = self._parent_dir(path, shown)
        parent.children.add(posixpath.basename(path))
        self._entries[path] = Entry(False, text, mode if mode is not None else 0o644, self._now())

    def touch(self, path: str, *, display: str | None = None) -> None:
        e = self._entries.get(path)
        if e is not None:
            e.mtime = self._now()
        else:
            self.write(path, "", display=display)

    def mkdir(self, path: str, *, parents: bool = False, display: str | None = None) -> None:
        shown = display if display is not None else path
        e = self._entries.get(path)
        if e is not None:
            if parents and e.is_dir:
                return
            raise FileError(shown, EEXIST)
        if parents:
            parent = posixpath.dirname(path)
            if parent != path and not self.is_dir(parent):
                if self.exists(parent):
                    raise FileError(shown, ENOTDIR)
                self.mkdir(parent, parents=True)
        p = self._parent_dir(path, shown)
        p.children.add(posixpath.basename(path))
        self._entries[path] = Entry(True, mode=0o755, mtime=self._now())

    def remove(self, path: str, *, recursive: bool = False, display: str | None = None) -> None:
        shown = display if display is not None else path
        e = self._entries.get(path)
        if e is None:
            raise FileError(shown, ENOENT)
        if e.is_dir:
            if not recursive and e.children:
                raise FileError(shown, ENOTEMPTY)
            for child in list(e.children):
                self.remove(posixpath.join(path, child), recursive=True)
        if path == "/":
            return
        del self._entries[path]
        parent = self._entries.get(posixpath.dirname(path))
        if parent is not None:
            parent.children.discard(posixpath.basename(path))

    def copy_entry(self, src: str, dst: str) -> None:
        """Copy a file or tree (used by cp -r and mv)."""
        e = self._entries[src]
        if e.is_dir:
            if not self.exists(dst):
                self.mkdir(dst)
            for child in sorted(e.children):
                self.copy_entry(posixpath.join(src, child), posixpath.join(dst, child))
        else:
            self.write(dst, e.text(), mode=e.mode)

    # -- bulk population (image layers, generated files) -------------------------------------
    def add_file(self, path: str, content: Content, mode: int = 0o644) -> None:
        """Install a file, creating parent directories (for building a host's initial tree)."""
        parent = posixpath.dirname(path)
        if not self.is_dir(parent):
            self.mkdir(parent, parents=True)
        self.write(path, content, mode=mode)
        self._entries[path].mtime = 0.0

    def add_dir(self, path: str) -> None:
        if not self.is_dir(path):
            self.mkdir(path, parents=True)
            self._entries[path].mtime = 0.0

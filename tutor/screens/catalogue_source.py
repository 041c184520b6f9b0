"""Where the catalogue's data comes from: a lesson pack on disk plus the learner's progress.

Validating a pack (YAML with line tracking, pydantic models) costs more than Textual's whole start-up,
so the catalogue's few fields are cached as JSON under the data directory, keyed by the size and
mtime of every file in the pack; progress states are read with plain ``json``. The full pack and the
progress store load only when a lesson opens (or when the cache is stale or the progress unreadable).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from tutor.screens.catalogue import CatalogueData, LessonEntry

CACHE_VERSION = 1


def pack_signature(root: Path) -> list[list[Any]]:
    """(relative path, size, mtime) of every pack file: any edit invalidates the cache."""
    rows = []
    for path in sorted(root.rglob("*")):
        if path.suffix in (".yaml", ".yml") and path.is_file():
            stat = path.stat()
            rows.append([str(path.relative_to(root)), stat.st_size, stat.st_mtime_ns])
    return rows


def catalogue_to_json(data: CatalogueData) -> dict[str, Any]:
    return {
        "title": data.title,
        "description": data.description,
        "tracks": [[title, [vars(e) | {"state": "new"} for e in lessons]] for title, lessons in data.tracks],
    }


def catalogue_from_json(raw: dict[str, Any]) -> CatalogueData:
    tracks = [(title, [LessonEntry(**entry) for entry in lessons]) for title, lessons in raw["tracks"]]
    return CatalogueData(raw["title"], raw["description"], tracks)


def read_states(home: Path) -> tuple[dict[str, str], str | None] | None:
    """Lesson states and the last lesson from ``progress.json``; None when it needs the real store
    (unreadable, or written in a format this reader does not know)."""
    path = home / "progress.json"
    if not path.exists():
        return {}, None
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        if raw.get("version") != 1:
            return None
        states = {k: str(v.get("state", "new")) for k, v in (raw.get("lessons") or {}).items()}
        last = raw.get("last_lesson")
        return states, last if isinstance(last, str) else None
    except (OSError, ValueError, AttributeError, TypeError):
        return None


class PackSource:
    """A lesson pack on disk plus the learner's progress store (both loaded lazily)."""

    def __init__(self, pack_path: Path | None = None, home: Path | None = None, *, time_mode: str = "wall"):
        from tutor import paths

        self.pack_path = Path(pack_path) if pack_path else paths.lessons_dir()
        self.home = Path(home) if home else paths.data_home()
        self.time_mode = time_mode
        self._pack: Any = None
        self._store: Any = None

    @property
    def pack(self) -> Any:
        if self._pack is None:
            from tutor.lessons import load_pack

            self._pack = load_pack(self.pack_path)
        return self._pack

    @property
    def store(self) -> Any:
        if self._store is None:
            from tutor.progress import ProgressStore

            self._store = ProgressStore(self.home)
        return self._store

    @property
    def notice(self) -> str | None:
        return self._store.notice if self._store is not None else None

    # -- catalogue -------------------------------------------------------------------------------
    def _cache_path(self) -> Path:
        from zlib import crc32

        digest = f"{crc32(str(self.pack_path.resolve()).encode()):08x}"
        return self.home / "cache" / f"catalogue-{digest}.json"

    def _cached(self, signature: list) -> CatalogueData | None:
        try:
            raw = json.loads(self._cache_path().read_text(encoding="utf-8"))
            if raw.get("version") == CACHE_VERSION and raw.get("signature") == signature:
                return catalogue_from_json(raw["catalogue"])
        except (OSError, ValueError, KeyError, TypeError):
            pass
        return None

    def _write_cache(self, signature: list, data: CatalogueData) -> None:
        path = self._cache_path()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
            tmp.write_text(json.dumps({"version": CACHE_VERSION, "signature": signature,
                                       "catalogue": catalogue_to_json(data)}), encoding="utf-8")
            os.replace(tmp, path)
        except OSError:
            pass  # a cache is optional

    def _from_pack(self) -> CatalogueData:
        pack = self.pack
        entries = {
            lesson.id: LessonEntry(
                id=lesson.id, title=lesson.title, summary=lesson.summary, minutes=lesson.minutes,
                level=lesson.level, objectives=list(lesson.objectives), steps=len(lesson.steps),
            )
            for lesson in pack.lessons
        }
        tracks: list[tuple[str, list[LessonEntry]]] = []
        placed: set[str] = set()
        for track in pack.tracks:
            members = [entries[i] for i in track.lessons if i in entries]
            placed.update(e.id for e in members)
            tracks.append((track.title, members))
        rest = [e for i, e in entries.items() if i not in placed]
        if rest:
            tracks.append(("More lessons" if tracks else "Lessons", rest))
        return CatalogueData(pack.title, pack.description, tracks)

    def catalogue(self) -> CatalogueData:
        """The pack's lessons with the learner's states (cached pack fields; live progress)."""
        signature = pack_signature(self.pack_path)
        data = self._cached(signature) if self._pack is None else None
        if data is None:
            data = self._from_pack()
            self._write_cache(signature, data)
        states = read_states(self.home) if self._store is None else None
        if states is None:
            store = self.store
            states = ({k: v.state for k, v in store.progress.lessons.items()}, store.progress.last_lesson)
        by_id, last = states
        ids = set()
        for _, lessons in data.tracks:
            for entry in lessons:
                entry.state = by_id.get(entry.id, "new")
                ids.add(entry.id)
        data.last_lesson = last if last in ids else None
        return data

    def open(self, lesson_id: str) -> Any:
        from tutor.session import LessonSession

        return LessonSession(self.pack, self.pack.lesson(lesson_id), self.store, time_mode=self.time_mode)

"""Where kubelab keeps and finds things, resolved lazily (never at import) so tests can redirect them."""

from __future__ import annotations

import os
from pathlib import Path

_REPO_ROOT = Path(__file__).resolve().parent.parent


def data_home() -> Path:
    """Per-learner data: progress, logs, exam reports. ``KUBELAB_HOME`` overrides the platform default."""
    override = os.environ.get("KUBELAB_HOME")
    if override:
        return Path(override).expanduser()
    from platformdirs import user_data_path

    return user_data_path("kubelab", appauthor=False)


def _bundled(name: str) -> Path:
    """``tutor/_data/<name>`` inside a wheel, ``<repo>/<name>`` in a checkout or editable install."""
    packaged = Path(__file__).resolve().parent / "_data" / name
    if packaged.is_dir():
        return packaged
    return _REPO_ROOT / name


def lessons_dir() -> Path:
    return _bundled("lessons")


def assets_dir() -> Path:
    return _bundled("assets")


def logs_dir() -> Path:
    return data_home() / "logs"

"""The platform's per-user folders, each followed by ``policing``: one place for the rules
that the config file, the cache, the cache's key and fetched data all follow.

=========  ==========================================  ===========================  ===================
folder     Linux (and other Unix)                      macOS                        Windows
=========  ==========================================  ===========================  ===================
config     ``$XDG_CONFIG_HOME`` or ``~/.config``       ``~/Library/Application      ``%APPDATA%``
                                                       Support``
cache      ``$XDG_CACHE_HOME`` or ``~/.cache``         ``~/Library/Caches``         ``%LOCALAPPDATA%``
                                                                                    (then ``Cache``)
data       ``$XDG_DATA_HOME`` or ``~/.local/share``    ``~/Library/Application      ``%APPDATA%``
                                                       Support``
=========  ==========================================  ===========================  ===================
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP = "policing"


def _roaming() -> Path:
    return Path(os.environ.get("APPDATA") or Path.home() / "AppData" / "Roaming")


def config_home() -> Path:
    """Where the config file lives."""
    if sys.platform == "win32":
        return _roaming() / APP
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Application Support" / APP
    return Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config") / APP


def cache_home() -> Path:
    """What can be rebuilt at any time (the cache of loaded files)."""
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
        return base / APP / "Cache"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / APP
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / APP


def data_home() -> Path:
    """What the user keeps: the cache's key, the files ``policing fetch`` downloads."""
    if sys.platform == "win32":
        return _roaming() / APP
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Application Support" / APP
    return Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share") / APP

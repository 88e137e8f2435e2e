"""The Python runtime tuned for a short-lived command: the cyclic garbage collector.

Start-up (the imports of pandas, numpy and pyarrow) allocates hundreds of thousands of
long-lived objects and hardly any garbage, yet the collector scans them again and again:
about 60 ms of a half-second cached report. ``run()`` pauses it from the start; once the data
are loaded, what exists is frozen (never scanned again) and collection resumes, so a long
snapshot still frees its cycles.
"""

from __future__ import annotations

import gc

_paused = False


def pause_collector() -> None:
    global _paused
    if gc.isenabled():
        gc.disable()
        _paused = True


def resume_collector() -> None:
    """Freeze what start-up made and switch the collector back on (if it was paused here)."""
    global _paused
    if _paused:
        gc.freeze()
        gc.enable()
        _paused = False

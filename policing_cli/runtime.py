"""The Python runtime tuned for a short-lived command: the cyclic garbage collector.

Start-up (the imports of pandas, numpy and pyarrow) allocates hundreds of thousands of
long-lived objects and hardly any garbage, yet the collector scans them again and again:
about 60 ms of a half-second cached report. ``run()`` pauses it from the start; once the data
are loaded, what exists is frozen (never scanned again) and collection resumes, so a long
snapshot still frees its cycles.
"""

from __future__ import annotations

import gc


class CollectorPause:
    """Whether the collector is paused by this module: only a pause of ours is undone, so a
    program that switched the collector off itself (or never let it be paused) keeps it as
    it was."""

    def __init__(self) -> None:
        self.paused = False

    def pause(self) -> None:
        if gc.isenabled():
            gc.disable()
            self.paused = True

    def resume(self) -> None:
        """Freeze what start-up made and switch the collector back on (if paused here)."""
        if self.paused:
            gc.freeze()
            gc.enable()
            self.paused = False


#: The one pause of this process (the collector is process-wide).
COLLECTOR = CollectorPause()


def pause_collector() -> None:
    COLLECTOR.pause()


def resume_collector() -> None:
    """Freeze what start-up made and switch the collector back on (if it was paused here)."""
    COLLECTOR.resume()

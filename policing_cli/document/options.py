"""How a document is shown, apart from what its report or listing says: chosen by the
command, never stored on the report."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RenderOptions:
    #: Sparklines in ASCII (terminals and mail readers without block characters).
    ascii: bool = False
    #: The provenance line (inputs, digests, version), or None.
    provenance: str | None = None
    #: The credit the data's licence asks for (document/attribution.py), or None.
    attribution: str | None = None
    #: Where the data were chosen from, when not from --data (the data folder of policing
    #: fetch): shown beside the sources.
    origin: str = ""

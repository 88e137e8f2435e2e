"""JSON for scripts: the document's data (a report's documented shape, see README, "JSON
output"; a listing's title, rows and notes)."""

from __future__ import annotations

import json
import re

from policing_cli.document.blocks import Document

_C1 = re.compile("[\x7f-\x9f\u2028\u2029]")


def dumps(payload: object) -> str:
    """JSON text, UTF-8 kept readable, but DEL and C1 control characters escaped too
    (json escapes only those below 0x20), so none reaches a terminal raw."""
    text = json.dumps(payload, indent=2, ensure_ascii=False, allow_nan=False)
    return _C1.sub(lambda m: f"\\u{ord(m.group()):04x}", text) + "\n"


def render(document: Document) -> str:
    return dumps(document.data)

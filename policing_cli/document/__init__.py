"""What every output shows, apart from how each format lays it out.

A report, a listing or a snapshot index is turned once into a ``Document``: blocks (a
heading, facts, tables with typed columns, bullets, notes, small print) for the formats that
people read, and the same content as data (``data`` for JSON, ``records`` for CSV) for the
formats that programs read. Each format in ``renderers/`` renders a Document, whatever it
came from, so a listing is laid out, aligned and numbered like a report.
"""

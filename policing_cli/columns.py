"""Canonical column names of the long table every loader produces.

One row per area, period and source category::

    area    the area's name as the data spells it ("Bexley", "Kensington and Chelsea")
    period  "YYYY-MM" for a month, or an annual label ("2009/10", "2009") from a tidy file
    month   month index (year * 12 + month - 1) for monthly rows, -1 for annual rows
    major   the source's major category ("" when the source has only one level)
    minor   the source's category name
    count   number of offences (int64)
    source  index into Dataset.sources of the file the row came from
"""

AREA = "area"
PERIOD = "period"
MONTH = "month"
MAJOR = "major"
MINOR = "minor"
COUNT = "count"
SOURCE = "source"

CANONICAL = (AREA, PERIOD, MONTH, MAJOR, MINOR, COUNT, SOURCE)

#: ``month`` value of a row that holds a whole annual period (tidy files only).
ANNUAL = -1

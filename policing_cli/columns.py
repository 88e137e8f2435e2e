"""Canonical column names of the long table every loader produces.

One row per area, period and source category::

    area    the area's name as the data spells it ("Bexley", "Kensington and Chelsea")
    period  "YYYY-MM" for a month, or an annual label ("2009/10", "2009") from a tidy file
    month   month index (year * 12 + month - 1) for monthly rows, -1 for annual rows
    major   the source's major category ("" when the source has only one level)
    minor   the source's category name
    count   number of offences (int64)
    source  index into Dataset.sources of the file the row came from
    force   the police force that recorded the row (street-level files; "" otherwise)
"""

AREA = "area"
PERIOD = "period"
MONTH = "month"
MAJOR = "major"
MINOR = "minor"
COUNT = "count"
SOURCE = "source"
FORCE = "force"

CANONICAL = (AREA, PERIOD, MONTH, MAJOR, MINOR, COUNT, SOURCE, FORCE)

#: ``month`` value of a row that holds a whole annual period (tidy files only).
ANNUAL = -1

#: ``major`` of data.police.uk street rows: their crime type (``minor``) is their only category.
STREET_MAJOR = "data.police.uk"
#: Street crime types that are not notifiable offences, kept out of the "all" total.
NOT_NOTIFIABLE = frozenset({"antisocialbehaviour"})
#: Layout name of data.police.uk street-level sources (their months count as covered).
STREET_LAYOUT = "data.police.uk street-level crime"

#: Classifications: the systems of categories a source counts in. A change is computed only
#: from two figures in one classification (see report/comparison.py).
MET_CATEGORIES = "the Met's own categories of 2008-2018"
HOME_OFFICE = "the Home Office classes"
STREET_TYPES = "the data.police.uk crime types"
TIDY_CATEGORIES = "the categories of tidy files"
RATES_CATEGORIES = "the recorded crime rates' categories"

#: Short names of the classifications, as policing_cli/data/breaks.csv writes them; "met"
#: stands for every classification of the Met's own recorded crime.
CLASSIFICATION_CODES = {
    "met-categories": MET_CATEGORIES,
    "home-office": HOME_OFFICE,
    "crime-rates": RATES_CATEGORIES,
    "police-uk": STREET_TYPES,
    "tidy": TIDY_CATEGORIES,
}
MET_CLASSIFICATIONS = frozenset({MET_CATEGORIES, HOME_OFFICE, RATES_CATEGORIES})

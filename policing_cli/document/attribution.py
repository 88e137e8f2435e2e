"""The credit the data's licence asks for, carried by every output made from them.

The London Datastore's crime files, data.police.uk's street files, MOPAC's survey export
and ONS's and the GLA's population estimates are all published under the Open Government
Licence v3.0, which asks for "Contains public sector information licensed under the Open
Government Licence v3.0." The boundaries the maps are drawn from (GLA/ONS Statistical GIS
Boundary Files) ask for the ONS and Ordnance Survey credits besides. Tidy count files are the
user's own: they alone ask for nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from policing_cli.model import Dataset

OGL = "Contains public sector information licensed under the Open Government Licence v3.0."
BOUNDARIES = (
    "Contains National Statistics data © Crown copyright and database right; contains "
    "Ordnance Survey data © Crown copyright and database right."
)


def attribution(dataset: Dataset) -> str | None:
    """The OGL credit when any figure may come from public releases: a count file of a
    published layout, or population estimates of the data's areas (the bundled ONS and
    GLA estimates, for rates per 1,000)."""
    from policing_cli import columns as C
    from policing_cli.loaders.tidy import LAYOUT_NAME as OWN
    from policing_cli.report.areas import area_key

    if any(source.layout != OWN for source in dataset.sources):
        return OGL
    estimated = {key for key, _year in dataset.population}
    areas = {area_key(str(name)) for name in dataset.frame[C.AREA].unique()}
    return OGL if areas & estimated else None

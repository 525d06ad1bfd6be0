"""The twelve probation regions of England and Wales with PDUs, for demo and national files.

Region and PDU names are public; the PDU lists are abridged (a few per region) and their codes
are prefixed so that codes never clash between regions in a national file.
"""

from __future__ import annotations

from findings.models import SOUTH_CENTRAL, Pdu, Region


def region_abbreviation(name: str) -> str:
    """A short column heading for a region: its initials ('Kent, Surrey and Sussex' -> 'KSS')."""
    words = [w for w in name.replace(",", " ").split() if w.lower() not in {"and", "the", "of"}]
    return "".join(w[0].upper() for w in words) or name[:3]


def _region(name: str, prefix: str, pdus: list[str]) -> Region:
    return Region(
        name=name,
        pdus=[
            Pdu(code=f"{prefix}_{'_'.join(p.lower().replace(',', '').split())}", name=p)
            for p in pdus
        ],
    )


REGIONS: tuple[Region, ...] = (
    _region("North East", "ne", ["Northumberland", "Newcastle", "Durham", "Teesside"]),
    _region("Yorkshire and the Humber", "yh", ["Leeds", "Sheffield", "Hull", "North Yorkshire"]),
    _region("North West", "nw", ["Cumbria", "Lancashire", "Merseyside", "Cheshire"]),
    _region("Greater Manchester", "gm", ["Manchester", "Bolton", "Stockport", "Wigan"]),
    _region("East Midlands", "em", ["Nottingham", "Derby", "Leicester", "Lincolnshire"]),
    _region("West Midlands", "wm", ["Birmingham", "Coventry", "Staffordshire", "Worcestershire"]),
    _region("East of England", "ee", ["Norfolk", "Suffolk", "Essex", "Cambridgeshire"]),
    _region("Wales", "wa", ["Cardiff", "Swansea", "North Wales", "Gwent"]),
    _region("South West", "sw", ["Devon", "Cornwall", "Bristol", "Dorset"]),
    SOUTH_CENTRAL,
    _region("Kent, Surrey and Sussex", "kss", ["Kent", "Surrey", "Sussex", "Medway"]),
    _region("London", "ldn", ["Camden", "Croydon", "Hackney", "Lambeth", "Ealing"]),
)
"""The twelve regions, north to south; South Central keeps its seven real PDUs."""


REGION_EMPHASIS: dict[str, dict[str, float]] = {
    "North East": {"domestic_abuse": 2.5, "safeguarding_children": 1.6},
    "Yorkshire and the Humber": {"enforcement": 2.4, "untimely_review": 1.5},
    "North West": {"mappa": 2.4, "victim": 1.6},
    "Greater Manchester": {"information_sharing": 2.2, "home_visits": 1.6},
    "East Midlands": {"interventions": 2.4, "planning": 1.4},
    "West Midlands": {"optimism_bias": 2.2, "professional_curiosity": 1.5},
    "East of England": {"transfers": 2.8},
    "Wales": {"recording": 2.4, "diversity": 2.0},
    "South West": {"home_visits": 2.4, "contingency_planning": 1.6},
    "South Central": {},
    "Kent, Surrey and Sussex": {"training": 2.6, "management_oversight": 1.5},
    "London": {"workload": 3.0, "management_oversight": 1.8},
}
"""Demo only: themes each region's synthetic findings show more often than elsewhere."""

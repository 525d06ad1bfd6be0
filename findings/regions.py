"""The twelve probation regions of England and Wales with PDUs, for demo and national files.

Region and PDU names are public; the PDU lists are abridged (a few per region) and their codes
are prefixed so that codes never clash between regions in a national file.
"""

from __future__ import annotations

from findings.models import SOUTH_CENTRAL, Pdu, Region


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

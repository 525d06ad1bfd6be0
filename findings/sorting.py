"""Sort orders of the findings list, apart from the filter models so the list loads light."""

from __future__ import annotations

from enum import StrEnum


class SortKey(StrEnum):
    """Columns a findings list can be sorted by."""

    EVENT_DATE = "event_date"
    RECORDED_DATE = "recorded_date"
    SOURCE_TYPE = "source_type"
    PDU = "pdu"
    SUMMARY = "summary"

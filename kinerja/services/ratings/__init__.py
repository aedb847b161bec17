"""Use cases and queries of the period ratings: computing them, the units' own predikat,
and what the ratings screens read (lists, a unit's distribution, calibration)."""

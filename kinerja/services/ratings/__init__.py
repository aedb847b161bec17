"""Use cases and queries of the period ratings: computing them, each unit's own predikat
(:mod:`.units`), and what the ratings screens read (lists, a unit's distribution,
calibration)."""

"""Use cases of the period's ratings: each unit's own predikat (:mod:`.units`)."""

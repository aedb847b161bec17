"""Period ratings: every employee's rating computed set-based in SQL by a job
(:mod:`.compute`), the units' distribution checked against their curve, the use cases that
ask for a run (:mod:`.requests`), each unit's own predikat (:mod:`.units`), and what the
ratings screens read (:mod:`.queries`, :mod:`.calibration`)."""

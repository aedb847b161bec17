"""Period ratings: every employee's rating computed set-based in SQL by a job, the units'
distribution checked against their curve, and the use cases that ask for a run."""

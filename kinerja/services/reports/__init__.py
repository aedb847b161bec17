"""Use cases of reporting and evaluation: the daily log (:mod:`.activities`), periodic
reports (:mod:`.reports`) against the approved version (:mod:`.basis`), their
achievement (:mod:`.achievement`), the supervisor's evaluation (:mod:`.evaluations`), the
dialogue (:mod:`.dialogue`), stored files (:mod:`.files`) and the lists (:mod:`.queries`)."""

"""The change feed: the sequencer that numbers committed changes, and the reading of a
page of them in a person's scope (:mod:`.feed`)."""

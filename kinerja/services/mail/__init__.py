"""Email: composing and recording (:mod:`.compose`), sending (:mod:`.send`)."""

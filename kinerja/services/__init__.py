"""Use cases: validation, access checks through the policies, and the one transaction
boundary (:mod:`kinerja.services.boundary`) — the only place that commits."""

"""kinerja: performance management of civil servants (ASN) for regional governments.

The application is built by :func:`kinerja.app.create_app`. This package itself loads
nothing, so the pure rules of :mod:`kinerja.domain` import without Flask or a database.
"""

__version__ = "0.1.0"

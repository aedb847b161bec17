"""The official documents, printed as PDF from HTML templates: the SKP of a plan with its
lampiran (:mod:`.skp`), the periodic and annual evaluation document (:mod:`.evaluation`),
a unit's recap of ratings (:mod:`.recap`), and all SKPs of a unit at once in a ZIP, made by
a job (:mod:`.bulk`).

Each document checks the same policy as the record's own screen: whoever may not read the
record gets :class:`~kinerja.domain.errors.NotFoundError`, never the file.
"""

"""Use cases of performance planning: periods (:mod:`.periods`), plans (:mod:`.lifecycle`),
their content (:mod:`.content`) and workflow (:mod:`.workflow`), history (:mod:`.history`),
cascading (:mod:`.cascade`) and position templates (:mod:`.templates`).

Every change checks its policy, that the period is open and that the plan's state allows
it (:class:`ConflictError`, HTTP 409), validates fields (:class:`FieldErrors`, 422) and
commits once through the use-case boundary.
"""

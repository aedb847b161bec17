"""Screens and REST resources of the period ratings: the ratings list and each rating's
explanation, the units' distributions against their curve, calibration evidence, and the
``rating``, ``distribution_check`` and ``rating_run`` APIs."""

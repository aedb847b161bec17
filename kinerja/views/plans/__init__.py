"""Screens and REST resources of performance planning: periods, the plan list and page, the
new-plan form, objectives and indicators, templates, and the plan API."""

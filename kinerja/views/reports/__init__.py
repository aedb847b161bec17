"""Screens and REST resources of reporting and evaluation: the daily log, the report lists,
the report's page with the supervisor's evaluation, evidence files, and the APIs."""

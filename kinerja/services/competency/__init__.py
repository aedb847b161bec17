"""Competency and development use cases: standards, assessments, training records,
recommendations, careers and the talent grid."""

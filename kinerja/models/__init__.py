"""SQLAlchemy models, one module per aggregate."""

from kinerja.models.jobs import JobRun, JobStatus
from kinerja.models.org import Employee, Position, Rank, Unit
from kinerja.models.security import KinerjaUser

__all__ = ["Employee", "JobRun", "JobStatus", "KinerjaUser", "Position", "Rank", "Unit"]

"""Pure domain rules: no Flask, no database. Shared by UI, API and jobs."""

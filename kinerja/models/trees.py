"""Queries over the two trees of the organisation: units (parent) and positions (supervisor).

Recursive CTEs of any depth; UNION rather than UNION ALL, so even a corrupted cyclic tree
terminates. One statement may hold several of them (a row-level condition and a search
filter): each is nested in its own subquery (``WITH`` inside ``IN (…)``), so they may share
a fixed name, and a statement built again for the next request is the same SQL, compiled
once and then taken from SQLAlchemy's cache (a fresh name per call made every list compile
its SQL anew). Statements are immutable, so the ones built from an id are kept and reused
(building one costs more than running it from the cache).
"""

from __future__ import annotations

import functools

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import aliased

from kinerja.models.org import Employee, Position, Unit


def cte_name(prefix: str) -> str:
    """The name of a tree's CTE (kept as a function: callers name theirs alike)."""
    return prefix


@functools.lru_cache(maxsize=4096)
def unit_subtree_ids(root_id: int) -> Select[tuple[int]]:
    """Ids of ``root_id`` and every unit below it."""
    tree = (
        select(Unit.id)
        .where(Unit.id == root_id)
        .cte(cte_name("unit_subtree"), recursive=True, nesting=True)
    )
    child = aliased(Unit)
    tree = tree.union(select(child.id).where(child.parent_id == tree.c.id))
    return select(tree.c.id)


@functools.lru_cache(maxsize=4096)
def unit_ancestor_ids(unit_id: int) -> Select[tuple[int]]:
    """Ids of ``unit_id`` and all units above it."""
    up = (
        select(Unit.id, Unit.parent_id)
        .where(Unit.id == unit_id)
        .cte(cte_name("unit_ancestors"), recursive=True, nesting=True)
    )
    parent = aliased(Unit)
    up = up.union(select(parent.id, parent.parent_id).where(parent.id == up.c.parent_id))
    return select(up.c.id)


def units_matching(text: str) -> Select[tuple[int]]:
    """Ids of units whose code is ``text`` or whose name contains it, with their sub-units."""
    text = text.strip()
    roots = (
        select(Unit.id)
        .where(or_(func.lower(Unit.code) == text.lower(), Unit.name.ilike(f"%{text}%")))
        .cte(cte_name("matched_units"), recursive=True, nesting=True)
    )
    child = aliased(Unit)
    tree = roots.union(select(child.id).where(child.parent_id == roots.c.id))
    return select(tree.c.id)


@functools.lru_cache(maxsize=4096)
def subordinate_position_ids(position_id: int) -> Select[tuple[int]]:
    """Ids of positions supervised, directly or indirectly, by ``position_id`` (not itself)."""
    down = (
        select(Position.id)
        .where(Position.supervisor_id == position_id)
        .cte(cte_name("position_subtree"), recursive=True, nesting=True)
    )
    child = aliased(Position)
    down = down.union(select(child.id).where(child.supervisor_id == down.c.id))
    return select(down.c.id)


@functools.lru_cache(maxsize=4096)
def supervisor_chain_ids(position_id: int) -> Select[tuple[int]]:
    """Ids of ``position_id`` and every position above it in the supervision chain."""
    up = (
        select(Position.id, Position.supervisor_id)
        .where(Position.id == position_id)
        .cte(cte_name("position_chain"), recursive=True, nesting=True)
    )
    boss = aliased(Position)
    up = up.union(select(boss.id, boss.supervisor_id).where(boss.id == up.c.supervisor_id))
    return select(up.c.id)


def direct_subordinate_ids(position_id: int) -> Select[tuple[int]]:
    """Employees whose position the given position supervises directly."""
    return (
        select(Employee.id)
        .join(Position, Position.id == Employee.position_id)
        .where(Position.supervisor_id == position_id)
    )

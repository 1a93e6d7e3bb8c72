"""Names of organizations, categories and administrative units for presenting lists.

A few hundred small rows that nearly never change: kept in the process and rebuilt when the content
generation moves (any committed content change), or when a row is asked for that the maps do not have.
"""

from dataclasses import dataclass

from flask import current_app
from sqlalchemy import Row, select

from smart_qn.accounts.organizations import Organization
from smart_qn.cache_store import content_generation
from smart_qn.content.categories import Category
from smart_qn.extensions import db
from smart_qn.geography import AdminUnit

_built: dict[tuple[int, int], "References"] = {}


@dataclass(frozen=True)
class References:
    organizations: dict[int, Row]
    categories: dict[int, Row]
    units: dict[int, Row]

    @classmethod
    def load(cls) -> "References":
        def rows(*columns):
            return {row.id: row for row in db.session.execute(select(*columns))}

        return cls(
            organizations=rows(
                Organization.id, Organization.code, Organization.name_vi, Organization.name_en
            ),
            categories=rows(Category.id, Category.slug, Category.name_vi, Category.name_en),
            units=rows(AdminUnit.id, AdminUnit.code, AdminUnit.name, AdminUnit.name_en, AdminUnit.level),
        )

    def complete(self, organization_ids=(), category_ids=(), unit_ids=()) -> bool:
        return (
            all(id_ in self.organizations for id_ in organization_ids)
            and all(id_ in self.categories for id_ in category_ids)
            and all(id_ in self.units for id_ in unit_ids)
        )


def references(organization_ids=(), category_ids=(), unit_ids=()) -> References:
    """Maps that hold at least the given ids."""
    key = (id(current_app._get_current_object()), content_generation())
    found = _built.get(key)
    if found is None or not found.complete(organization_ids, category_ids, unit_ids):
        found = References.load()
        _built.clear()
        _built[key] = found
    return found


def forget() -> None:
    """Drop the maps built so far (the next call rebuilds them)."""
    _built.clear()

"""Which organization reports which figures.

An indicator names its reporters: organizations, each for some of the indicator's unit levels, within
its area. A district People's Committee's area is its district (the district and its communes); a
department's is the whole province. So the owning department reports the province-level figure, and
each district committee its own district's and communes' figures.

`EntryRights` is what a user or an API token may do with figures, computed once per request or import
and asked for every cell.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from smart_qn.accounts.organizations import Organization, OrganizationKind
from smart_qn.accounts.users import Role, User
from smart_qn.content.indicators import Indicator, IndicatorReporter
from smart_qn.geography import AdminUnit, UnitLevel, units_on


def in_area(organization: Organization, unit: AdminUnit) -> bool:
    area = organization.admin_unit
    if area is None or area.level == UnitLevel.PROVINCE:
        return True
    return unit.id == area.id or unit.parent_id == area.id


def default_reporters(indicator: Indicator, organizations: Iterable[Organization]) -> list[IndicatorReporter]:
    """The usual assignment: the owning organization reports the province level, and every district
    People's Committee its district's and communes' levels that the indicator has."""
    reporters = []
    if UnitLevel.PROVINCE in indicator.levels:
        reporters.append(IndicatorReporter(organization=indicator.organization, levels=[UnitLevel.PROVINCE]))
    local_levels = [level for level in indicator.levels if level != UnitLevel.PROVINCE]
    if local_levels:
        reporters.extend(
            IndicatorReporter(organization=organization, levels=local_levels)
            for organization in organizations
            if organization.kind is OrganizationKind.DISTRICT_COMMITTEE and organization.admin_unit_id
        )
    return reporters


def covers(reporter: IndicatorReporter, unit: AdminUnit) -> bool:
    """Whether `reporter` reports `unit`'s figure."""
    if unit.level not in reporter.levels or unit.level not in reporter.indicator.levels:
        return False
    return in_area(reporter.organization, unit)


def reporter_of(indicator: Indicator, unit: AdminUnit) -> Organization | None:
    """The organization that reports `unit`'s figure of `indicator`: the most local one that covers it."""
    covering = [reporter for reporter in indicator.reporters if covers(reporter, unit)]
    if not covering:
        return None
    return max(covering, key=lambda reporter: _locality(reporter.organization)).organization


def reported_units(indicator: Indicator, organization: Organization | None, as_of: date) -> list[AdminUnit]:
    """The units whose figures `organization` reports (every reported unit when None), in map order."""
    units = [unit for unit in units_on(as_of) if unit.level in indicator.levels]
    return [
        unit
        for unit in units
        if (reporter := reporter_of(indicator, unit)) is not None
        and (organization is None or reporter.id == organization.id)
    ]


def _locality(organization: Organization) -> int:
    return organization.admin_unit.level if organization.admin_unit else 0


@dataclass(frozen=True)
class EntryRights:
    """What one user or API token may do with figures.

    `organization_ids` None means every organization's (administrators). Publishing follows the content
    rules: approvers, and editors of organizations whose editors may publish.
    """

    organization_ids: frozenset[int] | None
    publishing_organization_ids: frozenset[int] | None = field(default_factory=frozenset)

    @classmethod
    def of_user(cls, user: User) -> "EntryRights":
        if user.is_admin:
            return cls(None, None)
        memberships = {membership.organization_id: membership for membership in user.memberships}
        publishing = frozenset(
            organization_id
            for organization_id, membership in memberships.items()
            if membership.role is Role.APPROVER or membership.organization.editors_may_publish
        )
        return cls(frozenset(memberships), publishing)

    @classmethod
    def of_organization(cls, organization_id: int, *, may_publish: bool) -> "EntryRights":
        return cls(frozenset({organization_id}), frozenset({organization_id}) if may_publish else frozenset())

    def may_view(self, organization_id: int | None) -> bool:
        """Whether drafts reported by `organization_id` may be seen."""
        return self.organization_ids is None or organization_id in self.organization_ids

    def may_publish(self, organization_id: int | None) -> bool:
        return self.publishing_organization_ids is None or organization_id in self.publishing_organization_ids

from datetime import date

from smart_qn.geography import UnitLevel, unit_on, units_on


def count_by_level(as_of: date) -> list[int]:
    units = units_on(as_of)
    return [sum(1 for unit in units if unit.level == level) for level in UnitLevel]


def test_the_three_maps_of_the_history(app):
    assert count_by_level(date(2024, 12, 31)) == [1, 18, 241]
    assert count_by_level(date(2025, 1, 1)) == [1, 17, 233]
    assert count_by_level(date(2025, 7, 1)) == [1, 0, 94]


def test_a_reused_code_names_different_units_on_different_dates(app):
    assert unit_on("20335", date(2025, 6, 30)).name == "Phường Tân Thạnh"
    assert unit_on("20335", date(2025, 7, 1)).name == "Phường Bàn Thạch"


def test_lineage_goes_up_to_the_province(app):
    commune = unit_on("20818", date(2024, 12, 31))

    assert [unit.code for unit in commune.lineage()] == ["20818", "513", "49"]


def test_successors_and_predecessors(app):
    tan_thanh = unit_on("20335", date(2025, 6, 30))
    ban_thach = unit_on("20335", date(2025, 7, 1))

    assert ban_thach in tan_thanh.successors
    assert tan_thanh in ban_thach.predecessors
    assert unit_on("49", date(2025, 6, 30)).successors == [unit_on("48", date(2025, 7, 1))]

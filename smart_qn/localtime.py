"""The province's clock: its time zone (config TIMEZONE, Asia/Ho_Chi_Minh) and its date. Periods end, push
caps reset and forms are typed in local time; everything is stored in UTC."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from flask import current_app


def province_zone() -> ZoneInfo:
    return ZoneInfo(current_app.config["TIMEZONE"])


def province_date(moment: datetime) -> date:
    """The province's date at `moment`."""
    return moment.astimezone(province_zone()).date()


def province_today() -> date:
    return province_date(datetime.now(UTC))

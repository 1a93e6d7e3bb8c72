"""Model factories: sensible defaults, any field overridable, rows flushed so the API sees them."""

import functools
import io
import itertools
from datetime import timedelta
from decimal import Decimal

from flask import current_app
from PIL import Image
from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from smart_qn.accounts.organizations import Organization, OrganizationKind
from smart_qn.accounts.passwords import hash_password
from smart_qn.accounts.users import Membership, Role, User
from smart_qn.content.attachments import Attachment, store_upload
from smart_qn.content.categories import Category
from smart_qn.content.indicators import Direction, Indicator, IndicatorValue, ValueStatus
from smart_qn.content.notices import Notice, NoticeState, Urgency
from smart_qn.content.periods import Frequency
from smart_qn.content.services import ServiceLevel, ServiceLink, ServiceTier
from smart_qn.dbtypes import utcnow
from smart_qn.extensions import db
from smart_qn.geography import AdminUnit, unit_on
from smart_qn.push.devices import Device, Language, Platform, register

_sequence = itertools.count(1)

# Every test user's password; hashed once (argon2id is slow on purpose).
TEST_PASSWORD = "mật khẩu thử nghiệm dài"


@functools.cache
def _test_password_hash() -> str:
    return hash_password(TEST_PASSWORD)


# A minimal PDF: the attachment check reads its header and its end-of-file marker.
SAMPLE_PDF = (
    b"%PDF-1.4\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n"
    b"2 0 obj <</Type /Pages /Kids [] /Count 0>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n"
)


@functools.cache
def sample_image(image_format: str = "PNG", color: str = "red") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 6), color).save(buffer, image_format)
    return buffer.getvalue()


# Notices that exist but residents must not see, by why not.
NOT_LIVE = {
    "draft": {"state": NoticeState.DRAFT},
    "in-review": {"state": NoticeState.IN_REVIEW},
    "archived": {"state": NoticeState.ARCHIVED},
    "scheduled": {"publish_at": utcnow() + timedelta(days=1)},
    "expired": {"publish_at": utcnow() - timedelta(days=3), "expire_at": utcnow() - timedelta(days=1)},
}


class Factories:
    def _save(self, row):
        db.session.add(row)
        db.session.flush()
        return row

    def unit(self, code: str) -> AdminUnit:
        """A unit of the demo map (the reference data is loaded for every test database)."""
        unit = unit_on(code, current_app.config["UNITS_AS_OF"])
        assert unit is not None, f"no unit {code} in the reference data"
        return unit

    def category(self, **fields) -> Category:
        number = next(_sequence)
        defaults = {
            "slug": f"test-category-{number}",
            "name_vi": f"Danh mục {number}",
            "name_en": f"Category {number}",
        }
        return self._save(Category(**defaults | fields))

    def organization(self, **fields) -> Organization:
        number = next(_sequence)
        defaults = {
            "code": f"TEST{number}",
            "name_vi": f"Sở Thử nghiệm {number}",
            "name_en": f"Test Department {number}",
            "kind": OrganizationKind.DEPARTMENT,
        }
        return self._save(Organization(**defaults | fields))

    def user(self, *, memberships: dict[Organization, Role] | None = None, **fields) -> User:
        """A user with the password TEST_PASSWORD and, for each organization given, that role in it."""
        number = next(_sequence)
        defaults = {
            "email": f"user{number}@test.quangnam.gov.vn",
            "display_name": f"Người dùng {number}",
            "password_hash": _test_password_hash(),
        }
        user = User(**defaults | fields)
        user.memberships = [
            Membership(organization=organization, role=role)
            for organization, role in (memberships or {}).items()
        ]
        return self._save(user)

    def notice(self, *, audience: list[str] = ("49",), **fields) -> Notice:
        number = next(_sequence)
        defaults = {
            "title_vi": f"Thông báo thử nghiệm số {number}",
            "summary_vi": "Tóm tắt thông báo.",
            "body_vi": "Nội dung **thông báo**.",
            "state": NoticeState.PUBLISHED,
            "urgency": Urgency.NORMAL,
            "publish_at": utcnow() - timedelta(hours=1),
        }
        values = defaults | fields
        values.setdefault("organization", fields.get("organization") or self.organization())
        values.setdefault("category", fields.get("category") or self.category())
        notice = Notice(**values)
        notice.audience = [self.unit(code) for code in audience]
        return self._save(notice)

    def service(self, **fields) -> ServiceLink:
        number = next(_sequence)
        defaults = {
            "name_vi": f"Thủ tục thử nghiệm {number}",
            "field": "Hộ tịch",
            "level": ServiceLevel.FULL,
            "tier": ServiceTier.COMMUNE,
            "url": f"https://dichvucong.example.vn/thu-tuc/{number}",
        }
        values = defaults | fields
        values.setdefault("organization", self.organization())
        return self._save(ServiceLink(**values))

    def indicator(self, **fields) -> Indicator:
        number = next(_sequence)
        defaults = {
            "code": f"TEST_INDICATOR_{number}",
            "name_vi": f"Chỉ tiêu thử nghiệm {number}",
            "name_en": f"Test indicator {number}",
            "measure_unit": "%",
            "frequency": Frequency.ANNUAL,
            "levels": [1, 2],
            "direction": Direction.HIGHER_BETTER,
        }
        values = defaults | fields
        values.setdefault("organization", self.organization())
        values.setdefault("category", self.category())
        return self._save(Indicator(**values))

    def value(self, indicator: Indicator, unit_code: str, period: str, value, **fields) -> IndicatorValue:
        status = fields.pop("status", ValueStatus.PUBLISHED)
        defaults = {
            "status": status,
            "published_at": utcnow() if status is ValueStatus.PUBLISHED else None,
            "organization_id": indicator.organization_id,
        }
        return self._save(
            IndicatorValue(
                indicator=indicator,
                admin_unit=self.unit(unit_code),
                period=period,
                value=Decimal(str(value)),
                **defaults | fields,
            )
        )

    def attachment(
        self, organization: Organization | None = None, *, data: bytes | None = None, **upload
    ) -> Attachment:
        """An upload stored as the notice form stores it (by an administrator unless `by` is given)."""
        by = upload.pop("by", None) or self.user(is_admin=True)
        file = FileStorage(io.BytesIO(sample_image() if data is None else data), **upload)
        return store_upload(file, organization or self.organization(), by=by)

    def category_by_slug(self, slug: str) -> Category:
        return db.session.scalar(select(Category).filter_by(slug=slug))

    def device(
        self, *, unit: str = "20818", categories: list[str] = (), tester: User | None = None, **fields
    ) -> Device:
        """A device registered as the app registers it (with its topic rows pending); made `tester`'s test
        device as an administrator would."""
        values = {
            "token": f"test-token-{next(_sequence):06d}-{'x' * 40}",
            "platform": Platform.ANDROID,
            "language": Language.VI,
            "app_version": "1.0.0",
        }
        device = register(admin_unit=self.unit(unit), categories=list(categories), **values | fields).device
        device.tester_id = tester.id if tester else None
        return self._save(device)

"""Categories group notices, services and indicators (one list for all three, so a resident who follows
"Y tế" sees health notices, services and figures together)."""

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from smart_qn.extensions import db


class Category(db.Model):
    __tablename__ = "category"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    name_vi: Mapped[str] = mapped_column(String(120))
    name_en: Mapped[str] = mapped_column(String(120))
    position: Mapped[int] = mapped_column(default=0)

    def __repr__(self) -> str:
        return f"<Category {self.slug}>"

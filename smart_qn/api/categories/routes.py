from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import RAISE
from sqlalchemy import select

from smart_qn.api.categories.schemas import CategorySchema
from smart_qn.api.common import LanguageArgs, category_ref
from smart_qn.content.categories import Category
from smart_qn.extensions import db
from smart_qn.i18n import current_language

blp = Blueprint("categories", __name__, description="Categories shared by notices, services and indicators.")


@blp.route("")
class Categories(MethodView):
    @blp.arguments(LanguageArgs, location="query", unknown=RAISE)
    @blp.response(200, CategorySchema(many=True))
    def get(self, args):
        """List categories"""
        lang = current_language()
        return [
            {**category_ref(category, lang), "name_vi": category.name_vi, "name_en": category.name_en}
            for category in db.session.scalars(select(Category).order_by(Category.position, Category.slug))
        ]

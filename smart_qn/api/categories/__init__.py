from smart_qn.api.categories.routes import blp

__all__ = ["blp"]

from smart_qn.api.search.routes import blp

__all__ = ["blp"]

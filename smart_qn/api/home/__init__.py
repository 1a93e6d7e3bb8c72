from smart_qn.api.home.routes import blp

__all__ = ["blp"]

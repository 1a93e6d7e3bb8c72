from smart_qn.api.notices.routes import blp

__all__ = ["blp"]

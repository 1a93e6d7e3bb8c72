from smart_qn.api.services.routes import blp

__all__ = ["blp"]

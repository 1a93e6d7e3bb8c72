from smart_qn.api.sync.routes import blp

__all__ = ["blp"]

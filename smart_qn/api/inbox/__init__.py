from smart_qn.api.inbox.routes import blp

__all__ = ["blp"]

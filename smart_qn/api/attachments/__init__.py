from smart_qn.api.attachments.routes import blp

__all__ = ["blp"]

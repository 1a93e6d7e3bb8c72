from smart_qn.api.organizations.routes import blp

__all__ = ["blp"]

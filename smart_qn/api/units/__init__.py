from smart_qn.api.units.routes import blp

__all__ = ["blp"]

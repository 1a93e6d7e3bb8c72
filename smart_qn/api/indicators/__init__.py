from smart_qn.api.indicators.routes import blp

__all__ = ["blp"]

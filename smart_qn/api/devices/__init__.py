from smart_qn.api.devices.routes import blp

__all__ = ["blp"]

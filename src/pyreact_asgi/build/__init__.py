from pyreact_asgi.build.compiler import CompiledApp, compile_app
from pyreact_asgi.build.pipeline import Bundle, build_bundle

__all__ = ["Bundle", "CompiledApp", "build_bundle", "compile_app"]

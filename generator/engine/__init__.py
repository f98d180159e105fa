"""The engine adapter's helpers: what generator/mkdocs_plugin.py's hooks call. With the
plugin and generator/mkdocs_config.py, the only modules that import MkDocs."""

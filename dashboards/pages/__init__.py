"""One module per dashboard page; each exposes ``PATH``, ``layout(**query)`` and ``register``."""

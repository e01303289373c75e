"""Parts of ProjectService, one responsibility each (see coder/service.py)."""

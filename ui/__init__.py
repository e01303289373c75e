"""Session Coder's Qt front end (PySide6). Talks to the core only through Project."""

"""The rules editors see: each reports Problems with a stable code (CONTRIBUTING.md, "Error codes")."""

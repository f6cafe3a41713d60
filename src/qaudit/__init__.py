"""qaudit: case audits for children's social care QA teams, kept as TOML files."""

__version__ = "0.1.0"

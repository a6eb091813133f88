"""Validation rules. Each module checks one concern and yields Findings through a Reporter."""

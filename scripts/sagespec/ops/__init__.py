"""Helpers of the day-2 commands (package, smoke, status, loadtest, cleanup): one job per module."""

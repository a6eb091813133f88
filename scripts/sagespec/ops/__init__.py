"""Helpers of the day-2 commands: `ops/<command>.py` is what the command does, the rest one job each."""

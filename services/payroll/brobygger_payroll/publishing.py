"""The payroll service publishes TimesheetSubmitted, TimesheetApproved and PayrollRunCompleted once they exist."""

PUBLISHES: list = []

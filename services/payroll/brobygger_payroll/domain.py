"""The payroll service's aggregates (Timesheet, RateTable and PayrollRun) arrive with the payroll issue.

Until then it keeps one projection (projections.py): the people pay lines can name.
"""

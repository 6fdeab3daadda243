"""Site plan: every page as a job, rendered through the Jinja theme."""

"""`factcheck import`: bring an existing archive (ClaimReview feeds, saved pages, CSV) in as reports."""

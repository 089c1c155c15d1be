"""Four eyes: proposed changes to published records and the reviewers who approve them."""

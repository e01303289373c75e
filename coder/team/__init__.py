"""Team workflow: rater packages (export, open, submit, merge back), the consensus layer,
training against a gold standard, and drift over batches. Pure core, no Qt."""

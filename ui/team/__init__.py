"""The team workflow in the app: adjudication (consensus), training reports, drift chart,
rater packages."""

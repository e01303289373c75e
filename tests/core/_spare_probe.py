"""Imported only by a spare child in tests/core/test_process_spare.py: its presence in
sys.modules says the spare imported what it was asked to."""

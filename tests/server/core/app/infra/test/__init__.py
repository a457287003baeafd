"""Test models and store."""

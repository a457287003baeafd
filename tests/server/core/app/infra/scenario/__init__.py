"""Scenario models and store."""

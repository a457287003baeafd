"""Persona models and store."""

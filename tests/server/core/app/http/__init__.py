"""The HTTP surface: `POST /<artifact>/<op>` for every socket operation, from the same models."""

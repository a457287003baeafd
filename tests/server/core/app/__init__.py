"""A small Glow-shaped server: python-socketio handlers under app/ws, models under app/infra."""

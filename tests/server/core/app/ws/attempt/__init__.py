from . import (  # noqa: F401
    chat,
    message,  # registers attempt.chat_message
    start,
)

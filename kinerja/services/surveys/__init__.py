"""Public satisfaction surveys (SKM): services, surveys, the public's responses and their index."""

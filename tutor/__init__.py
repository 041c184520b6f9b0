"""kubelab tutor: the Textual app, the CLI, lessons, checks and progress."""

__version__ = "0.1.0"

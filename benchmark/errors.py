"""The one exception type the CLI turns into a one-line message and a non-zero exit code."""


class BenchError(Exception):
    """A user-facing error: its message is one line that names the file or input and the cause."""


class MissingCheckpointError(BenchError):
    """A model needs weights that are not in the model store; the message names the train command."""

"""The one exception type the CLI turns into a one-line message and a non-zero exit code."""


class BenchError(Exception):
    """A user-facing error: its message is one line that names the file or input and the cause."""


class MissingCheckpointError(BenchError):
    """A model needs weights that are not in the model store; the message names the train command."""


class DataError(BenchError):
    """A dataset file is unreadable or inconsistent; the message names the file and the cause.

    Raised while a model reads a case's (lazily loaded) images, it is reported as it is, not as
    the model's failure (see :mod:`tumorbench.phases`)."""

"""Built-in label conventions: how a dataset's label values make the evaluated regions."""

"""From models to one final prediction per case: model references, out-of-fold plans, ensembles,
labels and uncertainty from probabilities, post-processing, plugin phases, model identities."""

"""Label conventions (``tumorbench_label_conventions``): how each sub-challenge numbers its labels."""

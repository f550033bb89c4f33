"""The model stage: the model store, training budgets, splits, and the preprocessing models use."""

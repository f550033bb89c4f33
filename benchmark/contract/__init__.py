"""What plugins and the core agree on: the hooks, the specs they return, the values that flow
between stages, the one table of plugin kinds, label and metric conventions as types, typed options."""

"""Running a matrix: options, jobs, case tasks, where they execute (here or on Dask), the runner,
re-scoring stored predictions."""

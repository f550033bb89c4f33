"""Comparisons of models: rankings, paired statistics, bootstrap intervals, pictures, reported
rows, provenance and safe Markdown. Each module takes plain DataFrames or arrays and knows no
convention, metric or model by name.
"""

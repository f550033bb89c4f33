"""Plugins: what installed packages declare, importing them under a guard, the manager, the registry."""

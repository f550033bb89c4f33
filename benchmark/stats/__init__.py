"""Statistics on plain arrays: BraTS rankings, paired tests with Holm's correction, bootstrap intervals."""

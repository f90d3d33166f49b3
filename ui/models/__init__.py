"""Qt item models with named roles, over core data."""

"""importing area of the Qt front end."""

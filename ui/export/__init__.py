"""export area of the Qt front end."""

"""workspace area of the Qt front end."""

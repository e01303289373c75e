"""reliability area of the Qt front end."""

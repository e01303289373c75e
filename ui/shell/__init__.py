"""shell area of the Qt front end."""

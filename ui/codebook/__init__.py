"""codebook area of the Qt front end."""

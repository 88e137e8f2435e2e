"""policing: local crime and policing performance summaries for the command line."""

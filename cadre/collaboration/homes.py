"""What collaboration puts on each person's home page and in their navigation."""

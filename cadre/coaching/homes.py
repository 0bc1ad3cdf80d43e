"""What coaching puts on each person's home page and in their navigation."""

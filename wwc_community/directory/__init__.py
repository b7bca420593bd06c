"""Cities, partner organisations, topics and the e-mail domains linked to them."""

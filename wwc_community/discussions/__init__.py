"""Discussions: members ask questions, peers answer, votes and an accepted answer."""

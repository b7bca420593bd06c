"""Search: one Whoosh index over threads, practices, events and member profiles, fed from
the search_outbox table so the database stays the source of truth."""

"""Who owns content: organizations (and, later, users, memberships, API tokens and the audit log)."""

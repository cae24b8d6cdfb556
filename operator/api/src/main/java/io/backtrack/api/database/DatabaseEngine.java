package io.backtrack.api.database;

/** Database engines Backtrack can back up. PostgreSQL is the first; others follow. */
public enum DatabaseEngine {
    postgresql
}

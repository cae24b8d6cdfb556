package io.backtrack.agent.engine.postgres;

import io.backtrack.agent.manifest.TableRows;
import io.backtrack.agent.manifest.UnverifiedObject;

/** A relation whose rows a backup accounts for: a table, a materialized view or a foreign table. */
public record Relation(TableRef ref, Kind kind, boolean populated) {
    public enum Kind {
        TABLE, MATERIALIZED_VIEW, FOREIGN_TABLE;

        static Kind of(String relkind) {
            return switch (relkind) {
                case "m" -> MATERIALIZED_VIEW;
                case "f" -> FOREIGN_TABLE;
                default -> TABLE;
            };
        }
    }

    public static Relation table(TableRef ref) {
        return new Relation(ref, Kind.TABLE, true);
    }

    /** Tables and populated materialized views have rows in the archive that a restore can count. */
    public boolean countable() {
        return kind == Kind.TABLE || (kind == Kind.MATERIALIZED_VIEW && populated);
    }

    public TableRows counted(long rows) {
        return new TableRows(ref.schema(), ref.name(), rows,
                kind == Kind.MATERIALIZED_VIEW ? TableRows.MATERIALIZED_VIEW : null);
    }

    /** Why a restore cannot verify this one (only for those that are not {@link #countable()}). */
    public UnverifiedObject unverified() {
        return kind == Kind.FOREIGN_TABLE
                ? new UnverifiedObject(ref.schema(), ref.name(), UnverifiedObject.FOREIGN_TABLE,
                "a foreign table's rows live on its remote server and are not in the archive")
                : new UnverifiedObject(ref.schema(), ref.name(), TableRows.MATERIALIZED_VIEW,
                "the archive holds no rows of this materialized view (it was not populated, or the backup is schema-only)");
    }
}

package io.backtrack.agent.manifest;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Row count of one table or materialized view, counted in the dump's snapshot without its inheritance children
 * ({@code SELECT count(*) FROM ONLY …}), so a legacy inheritance parent and each child are counted once.
 * {@code kind} is absent for a table (what manifests before it held) and {@code materializedView} for one.
 */
public record TableRows(String schema, String name, long rows,
                        @JsonInclude(JsonInclude.Include.NON_NULL) String kind) {
    public static final String MATERIALIZED_VIEW = "materializedView";

    @JsonCreator
    public TableRows {
    }

    public TableRows(String schema, String name, long rows) {
        this(schema, name, rows, null);
    }

    public boolean materializedView() {
        return MATERIALIZED_VIEW.equals(kind);
    }

    public TableRows withRows(long count) {
        return new TableRows(schema, name, count, kind);
    }
}

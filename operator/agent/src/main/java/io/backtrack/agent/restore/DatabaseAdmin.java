package io.backtrack.agent.restore;

import io.backtrack.agent.engine.postgres.PgConnections;
import io.backtrack.agent.engine.postgres.PgTarget;
import io.backtrack.agent.engine.postgres.ToolErrors;
import io.backtrack.agent.log.StructuredLog;
import io.backtrack.agent.result.AgentFailure;
import io.backtrack.contract.result.Reason;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Database-level operations over a connection to the maintenance database: exist, create, drop, swap. */
public final class DatabaseAdmin implements AutoCloseable {
    private static final Duration TERMINATE_FOR = Duration.ofSeconds(15);

    private final PgTarget target;
    private final Connection admin;

    private DatabaseAdmin(PgTarget target, Connection admin) {
        this.target = target;
        this.admin = admin;
    }

    /** Connects to the {@code postgres} maintenance database (or {@code template1} where it was dropped). */
    public static DatabaseAdmin open(PgTarget target) {
        Connection c;
        try {
            c = PgConnections.open(target.withDatabase("postgres"));
        } catch (AgentFailure e) {
            if (e.reason() != Reason.DatabaseNotFound) {
                throw e;
            }
            c = PgConnections.open(target.withDatabase("template1"));
        }
        return new DatabaseAdmin(target, c);
    }

    Connection connection() {
        return admin;
    }

    public boolean exists(String database) {
        try (PreparedStatement ps = admin.prepareStatement("SELECT 1 FROM pg_catalog.pg_database WHERE datname = ?")) {
            ps.setString(1, database);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            throw failed("cannot look up database \"" + database + "\"", e);
        }
    }

    /** Superuser or CREATEDB. */
    boolean canCreateDatabases() {
        try (Statement st = admin.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT rolsuper OR rolcreatedb FROM pg_catalog.pg_roles WHERE rolname = current_user")) {
            return rs.next() && rs.getBoolean(1);
        } catch (SQLException e) {
            throw failed("cannot read the privileges of user \"" + target.username() + "\"", e);
        }
    }

    /** Superuser, or owner of the database (renaming and ALLOW_CONNECTIONS need one of them). */
    boolean mayAlter(String database) {
        try (PreparedStatement ps = admin.prepareStatement("""
                SELECT r.rolsuper OR d.datdba = r.oid FROM pg_catalog.pg_roles r, pg_catalog.pg_database d
                 WHERE r.rolname = current_user AND d.datname = ?""")) {
            ps.setString(1, database);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        } catch (SQLException e) {
            throw failed("cannot read the owner of database \"" + database + "\"", e);
        }
    }

    /** An empty database from template0 (template1 may hold objects a restore would collide with). */
    void create(String database) {
        createWith("CREATE DATABASE " + PgConnections.quoteIdent(database) + " TEMPLATE template0", database);
    }

    /** An empty database that is {@code like} in owner, encoding, locale and tablespace (see DatabaseProperties). */
    void createLike(String database, DatabaseProperties like) {
        createWith(like.createSql(database), database);
    }

    private void createWith(String sql, String database) {
        try (Statement st = admin.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            if ("42P04".equals(e.getSQLState())) {
                throw new AgentFailure(Reason.DatabaseExists, "database \"" + database + "\" already exists on "
                        + target.address(), e);
            }
            if ("42501".equals(e.getSQLState())) {
                throw new AgentFailure(Reason.RestoreFailed, "user \"" + target.username() + "\" may not create "
                        + "database \"" + database + "\" on " + target.address() + " (needs CREATEDB, and to create it "
                        + "for its owner, membership in the owning role)", e);
            }
            throw failed("cannot create database \"" + database + "\"", e);
        }
        StructuredLog.info("restore.database-created", "database", database);
    }

    DatabaseProperties properties(String database) {
        try {
            return DatabaseProperties.read(admin, database, serverVersionNumber());
        } catch (SQLException e) {
            throw failed("cannot read the properties of database \"" + database + "\"", e);
        }
    }

    /** Makes {@code database} equal to {@code like} in grants, comment, limits and settings. */
    void applyProperties(DatabaseProperties like, String database) {
        List<String> statements = new ArrayList<>(like.applySql(database));
        statements.add(like.allowConnectionsSql(database));
        for (String sql : statements) {
            execute(sql, "give \"" + database + "\" the properties of \"" + like.name() + "\" (" + firstWords(sql)
                    + "); nothing was swapped");
        }
    }

    private static String firstWords(String sql) {
        String[] words = sql.split(" ");
        return String.join(" ", java.util.Arrays.copyOf(words, Math.min(words.length, 4)));
    }

    /** Drops a database this run created, disconnecting its sessions. */
    public void drop(String database) {
        execute("DROP DATABASE IF EXISTS " + PgConnections.quoteIdent(database) + " WITH (FORCE)",
                "drop database \"" + database + "\"");
        StructuredLog.info("restore.database-dropped", "database", database);
    }

    /** Drops a database this run created (best effort: logs instead of throwing). */
    void dropQuietly(String database, String why) {
        try (Statement st = admin.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + PgConnections.quoteIdent(database) + " WITH (FORCE)");
            StructuredLog.info("restore.database-dropped", "database", database, "why", why);
        } catch (SQLException e) {
            StructuredLog.error("restore.drop-failed", "database", database, "error", e.getMessage());
        }
    }

    /**
     * Puts {@code side} in place of {@code live} in one step: gives {@code side} the live database's grants,
     * comment, limits and settings, blocks new connections to {@code live}, terminates
     * its sessions (retrying until none are left), then renames {@code live → previous} and {@code side → live}
     * in one transaction, and re-allows connections to {@code previous}. On failure nothing is renamed and
     * connections are allowed again.
     */
    void swap(String live, String side, String previous) {
        // The restored database takes the live one's place with everything the live one was besides its rows.
        applyProperties(properties(live), side);
        String liveQ = PgConnections.quoteIdent(live);
        execute("ALTER DATABASE " + liveQ + " ALLOW_CONNECTIONS false", "block new connections to \"" + live + "\"");
        boolean renamed = false;
        try {
            Instant deadline = Instant.now().plus(TERMINATE_FOR);
            SQLException last = null;
            while (true) {
                int left = terminateSessions(live) + terminateSessions(side);
                if (left == 0) {
                    try {
                        renameBoth(live, side, previous);
                        renamed = true;
                        break;
                    } catch (SQLException e) {
                        // 55006: a session (re)appeared, e.g. autovacuum; terminate again.
                        if (!"55006".equals(e.getSQLState())) {
                            throw failed("cannot rename \"" + live + "\" to \"" + previous + "\" and \"" + side
                                    + "\" to \"" + live + "\"; nothing was renamed", e);
                        }
                        last = e;
                    }
                }
                if (Instant.now().isAfter(deadline)) {
                    throw new AgentFailure(Reason.RestoreFailed, "sessions on \"" + live + "\" or \"" + side
                            + "\" did not end within " + TERMINATE_FOR.toSeconds() + " s"
                            + (last == null ? "" : " (" + last.getMessage() + ")")
                            + "; nothing was renamed: stop the clients (quiesce) and run the compare step again", last);
                }
                sleep(200);
            }
        } finally {
            String reopen = renamed ? previous : live;
            try {
                execute("ALTER DATABASE " + PgConnections.quoteIdent(reopen) + " ALLOW_CONNECTIONS true",
                        "re-allow connections to \"" + reopen + "\"");
            } catch (AgentFailure e) {
                StructuredLog.error("restore.allow-connections-failed", "database", reopen, "error", e.getMessage());
            }
        }
        StructuredLog.info("restore.swapped", "database", live, "previousDatabase", previous, "from", side);
    }

    /**
     * What became of a transaction: "committed", "aborted" or null (unknown). A backend still running it (its
     * client is gone) is terminated first, so the answer is final rather than "in progress".
     */
    String transactionStatus(long xid, int pid) {
        boolean xid8 = serverVersionNumber() >= 130000;
        String status = xid8 ? "SELECT pg_catalog.pg_xact_status(?::text::pg_catalog.xid8)"
                : "SELECT pg_catalog.txid_status(?)";
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        try (PreparedStatement terminate = admin.prepareStatement("""
                SELECT pg_catalog.pg_terminate_backend(pid) FROM pg_catalog.pg_stat_activity
                 WHERE pid = ? AND backend_xid::text = ?""");
             PreparedStatement ask = admin.prepareStatement(status)) {
            terminate.setInt(1, pid);
            terminate.setString(2, Long.toString(xid & 0xFFFFFFFFL));
            terminate.execute();
            while (true) {
                if (xid8) {
                    ask.setString(1, Long.toString(xid));
                } else {
                    ask.setLong(1, xid);
                }
                String answer;
                try (ResultSet rs = ask.executeQuery()) {
                    rs.next();
                    answer = rs.getString(1);
                }
                if (!"in progress".equals(answer) || Instant.now().isAfter(deadline)) {
                    return "in progress".equals(answer) ? null : answer;
                }
                sleep(100);
            }
        } catch (SQLException e) {
            StructuredLog.warn("restore.transaction-status-failed", "sqlState", e.getSQLState());
            return null;
        }
    }

    int serverVersionNumber() {
        try (Statement st = admin.createStatement();
             ResultSet rs = st.executeQuery("SELECT current_setting('server_version_num')::int")) {
            rs.next();
            return rs.getInt(1);
        } catch (SQLException e) {
            throw failed("cannot read the server version", e);
        }
    }

    private int terminateSessions(String database) {
        try (PreparedStatement ps = admin.prepareStatement("""
                SELECT count(*) FILTER (WHERE NOT pg_catalog.pg_terminate_backend(pid))
                  FROM pg_catalog.pg_stat_activity WHERE datname = ? AND pid <> pg_catalog.pg_backend_pid()""")) {
            ps.setString(1, database);
            int notTerminated;
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                notTerminated = rs.getInt(1);
            }
            if (notTerminated > 0) {
                StructuredLog.warn("restore.sessions-not-terminated", "database", database, "count", notTerminated);
            }
            try (PreparedStatement left = admin.prepareStatement(
                    "SELECT count(*) FROM pg_catalog.pg_stat_activity WHERE datname = ? AND pid <> pg_catalog.pg_backend_pid()")) {
                left.setString(1, database);
                try (ResultSet rs = left.executeQuery()) {
                    rs.next();
                    return rs.getInt(1);
                }
            }
        } catch (SQLException e) {
            throw failed("cannot terminate the sessions on \"" + database + "\" (needs superuser or "
                    + "pg_signal_backend); nothing was renamed", e);
        }
    }

    private void renameBoth(String live, String side, String previous) throws SQLException {
        admin.setAutoCommit(false);
        try (Statement st = admin.createStatement()) {
            st.execute("ALTER DATABASE " + PgConnections.quoteIdent(live) + " RENAME TO "
                    + PgConnections.quoteIdent(previous));
            st.execute("ALTER DATABASE " + PgConnections.quoteIdent(side) + " RENAME TO "
                    + PgConnections.quoteIdent(live));
            admin.commit();
        } catch (SQLException e) {
            admin.rollback();
            throw e;
        } finally {
            admin.setAutoCommit(true);
        }
    }

    private void execute(String sql, String what) {
        try (Statement st = admin.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw failed("cannot " + what, e);
        }
    }

    private AgentFailure failed(String what, SQLException e) {
        return new AgentFailure(Reason.RestoreFailed, what + " on " + target.address() + ": " + ToolErrors.of(e), e);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AgentFailure(Reason.RestoreFailed, "interrupted while waiting for sessions to end");
        }
    }

    @Override
    public void close() {
        try {
            admin.close();
        } catch (SQLException ignored) {
            // closing anyway
        }
    }
}

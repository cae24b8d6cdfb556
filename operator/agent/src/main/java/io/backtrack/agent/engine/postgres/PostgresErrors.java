package io.backtrack.agent.engine.postgres;

import io.backtrack.agent.result.AgentFailure;
import io.backtrack.contract.result.Reason;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.SQLException;

/** Maps connection failures (SQLSTATE and socket errors) to agent reasons with messages naming the server. */
public final class PostgresErrors {
    private PostgresErrors() {
    }

    public static AgentFailure classifyConnect(SQLException e, PgTarget target) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        switch (state) {
            case "28P01", "28000" -> {
                String what = e.getMessage() != null && e.getMessage().contains("does not exist")
                        ? "role \"" + target.username() + "\" does not exist or may not connect"
                        : "password authentication failed for user \"" + target.username() + "\"";
                return new AgentFailure(Reason.DatabaseAuthFailed, what + " at " + target.address()
                        + "; check the username and password in the database credentials Secret", e);
            }
            case "3D000" -> {
                return new AgentFailure(Reason.DatabaseNotFound, "database \"" + target.database()
                        + "\" does not exist on " + target.address() + "; check the database name", e);
            }
            default -> {
                // handled below
            }
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof UnknownHostException) {
                return new AgentFailure(Reason.DatabaseUnreachable, "cannot connect to " + target.address()
                        + ": unknown host " + target.host() + "; check the database host (Service name)", e);
            }
            if (t instanceof ConnectException || t instanceof NoRouteToHostException
                    || t instanceof SocketTimeoutException) {
                return new AgentFailure(Reason.DatabaseUnreachable, "cannot connect to " + target.address() + ": "
                        + t.getMessage() + "; check that the database is running and reachable from the Job", e);
            }
        }
        if (state.startsWith("08") || state.startsWith("57P")) {
            return new AgentFailure(Reason.DatabaseUnreachable, "cannot connect to " + target.address() + ": "
                    + e.getMessage(), e);
        }
        return new AgentFailure(Reason.DatabaseUnreachable, "connecting to " + target.address() + "/"
                + target.database() + " failed: " + e.getMessage() + " (SQLSTATE " + state + ")", e);
    }
}

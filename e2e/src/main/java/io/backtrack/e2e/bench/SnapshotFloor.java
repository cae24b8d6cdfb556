package io.backtrack.e2e.bench;

import io.backtrack.agent.engine.postgres.SnapshotSession;

import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/**
 * The least a backup by a Java agent does before {@code pg_dump} can start: start a JVM, open a JDBC connection
 * (SCRAM authentication) and export a REPEATABLE READ snapshot for {@code pg_dump --snapshot}, with the agent's own
 * {@link SnapshotSession}. Nothing else: no command line, no logging, no storage, no catalog queries. The benchmark
 * starts it as the agent's image starts the agent (its JVM options and its class-data sharing archive, this class
 * appended to the agent jar on the class path), so its time is a floor under the agent's fixed cost: the agent's
 * own start can only add to it.
 *
 * <p>Usage: {@code SnapshotFloor HOST PORT USER DATABASE}, the password in {@code PGPASSWORD}; prints the snapshot.
 */
public final class SnapshotFloor {
    private SnapshotFloor() {
    }

    public static void main(String[] args) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", args[2]);
        props.setProperty("password", System.getenv("PGPASSWORD"));
        try (SnapshotSession session = SnapshotSession.begin(DriverManager.getConnection("jdbc:postgresql://"
                + args[0] + ":" + args[1] + "/" + args[3], props))) {
            System.out.println(session.snapshotId());
        }
    }
}

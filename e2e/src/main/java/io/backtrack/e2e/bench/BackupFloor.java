package io.backtrack.e2e.bench;

import io.backtrack.agent.engine.postgres.PgConnections;
import io.backtrack.agent.engine.postgres.PgTarget;
import io.backtrack.agent.engine.postgres.SnapshotSession;
import io.backtrack.agent.storage.ObjectStore;
import io.backtrack.agent.storage.S3Location;
import io.backtrack.agent.storage.StorageTimeouts;
import io.backtrack.contract.args.AgentFlags;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The least a backup by the agent's stack (a JVM, PostgreSQL JDBC, the MinIO S3 client) does, with the agent's own
 * classes for each step: start a JVM; open a JDBC connection (SCRAM authentication) and export a REPEATABLE READ
 * snapshot ({@link SnapshotSession}) while the S3 client is set up beside it, as the agent does; run
 * {@code pg_dump --snapshot -Fc -Z0}; store its output with one PUT and a manifest with a second. Nothing else: no
 * command line, logging, checks of the bucket or folder, catalog queries, row counts, compression, hashing, roles
 * file or read-back. The benchmark starts it as the agent's image starts the agent (its JVM options and class-data
 * sharing archive, this class appended to the agent jar on the class path) against the almost empty database, so
 * its time is a floor under the agent's fixed cost: every step here is one the agent takes too, in a form at most as
 * costly (one PUT where the agent's archive is a multipart upload of three requests).
 *
 * <p>Usage: {@code BackupFloor HOST PORT USER DATABASE PG_DUMP ENDPOINT BUCKET KEY}, the passwords in
 * {@code PGPASSWORD}, {@code AWS_ACCESS_KEY_ID} and {@code AWS_SECRET_ACCESS_KEY}; prints the archive's size.
 */
public final class BackupFloor {
    private BackupFloor() {
    }

    public static void main(String[] args) throws IOException, InterruptedException, SQLException {
        PgTarget db = new PgTarget(args[0], Integer.parseInt(args[1]), args[3], args[2], System.getenv("PGPASSWORD"));
        S3Location location = S3Location.withKey(args[5], args[6], AgentFlags.DEFAULT_REGION,
                System.getenv("AWS_ACCESS_KEY_ID"), System.getenv("AWS_SECRET_ACCESS_KEY"), StorageTimeouts.defaults());
        CompletableFuture<ObjectStore> opening = CompletableFuture.supplyAsync(() -> new ObjectStore(location));
        String key = args[7];
        try (SnapshotSession session = SnapshotSession.begin(PgConnections.open(db));
             ObjectStore store = opening.join()) {
            Process dump = new ProcessBuilder(List.of(args[4], "--snapshot=" + session.snapshotId(),
                    "--format=custom", "--compress=0", "--no-password", db.toolDbnameArgument()))
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            byte[] archive = dump.getInputStream().readAllBytes();
            if (dump.waitFor() != 0) {
                throw new IllegalStateException("pg_dump exited with " + dump.exitValue());
            }
            store.putIfAbsent(key + "/archive.pgdump", archive, "application/octet-stream");
            store.putIfAbsent(key + "/manifest.json", ("{\"archiveSizeBytes\":" + archive.length + "}")
                    .getBytes(StandardCharsets.UTF_8), "application/json");
            System.out.println(archive.length);
        }
    }
}

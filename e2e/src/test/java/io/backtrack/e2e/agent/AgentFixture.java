package io.backtrack.e2e.agent;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.backtrack.e2e.postgres.DatabaseFingerprint;
import io.backtrack.e2e.postgres.PostgresServer;
import io.backtrack.e2e.postgres.SampleData;
import io.backtrack.e2e.s3.S3Server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * What the agent e2e tests share in one JVM: one PostgreSQL with the sample "shop" database, one S3Proxy with
 * a bucket, and builders for the agent's argument lists and environment.
 */
final class AgentFixture {
    static final String BUCKET = "agent-e2e";
    static final String SOURCE_DB = "shop";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static AgentFixture instance;

    final PostgresServer pg;
    final S3Server s3;
    final DatabaseFingerprint sourceFingerprint;

    private AgentFixture() {
        pg = PostgresServer.shared();
        s3 = S3Server.shared();
        s3.createBucket(BUCKET);
        if (!pg.databaseExists(SOURCE_DB)) {
            pg.createDatabase(SOURCE_DB);
            SampleData.load(pg, SOURCE_DB);
        }
        sourceFingerprint = DatabaseFingerprint.of(pg, SOURCE_DB);
    }

    static synchronized AgentFixture get() {
        if (instance == null) {
            instance = new AgentFixture();
        }
        return instance;
    }

    /**
     * The "bigshop" database: ~45 MB of incompressible-ish text, so a backup with {@code --compression none} is a
     * multipart upload of several parts that takes long enough to be caught mid-upload.
     */
    static final String BIG_DB = "bigshop";

    /** Creates {@link #BIG_DB} once per JVM. */
    synchronized void ensureBigDatabase() {
        if (!pg.databaseExists(BIG_DB)) {
            pg.createDatabase(BIG_DB);
            pg.execute(BIG_DB, "CREATE TABLE blobs (id int PRIMARY KEY, a text, b text)",
                    "INSERT INTO blobs SELECT i, md5(random()::text) || md5(random()::text), "
                            + "md5(random()::text) || md5(random()::text) FROM generate_series(1, 320000) i");
        }
    }

    /** Backup arguments for {@link #BIG_DB}, uncompressed: a multipart upload of several parts. */
    List<String> bigBackupArgs(String folder) {
        ensureBigDatabase();
        List<String> args = new ArrayList<>(backupArgs(folder, "--compression", "none"));
        args.set(args.indexOf("--dbname") + 1, BIG_DB);
        return args;
    }

    /** The archive a completed backup's manifest names (archive names are unique per attempt). */
    String archiveKey(String folder) {
        try {
            return JSON.readTree(s3.readObject(BUCKET, folder + "/manifest.json")).get("archiveKey").asText();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A copy of {@code args} with the value after {@code flag} replaced. */
    static List<String> replace(List<String> args, String flag, String value) {
        List<String> copy = new ArrayList<>(args);
        copy.set(copy.indexOf(flag) + 1, value);
        return copy;
    }

    /**
     * Waits (up to 60 s) until a multipart upload is under way in the folder of {@code s3}'s bucket, for a test to
     * interfere with it; fails if the backup ended first.
     */
    static void awaitUpload(S3Server s3, String folder, BooleanSupplier running) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (s3.incompleteUploads(BUCKET, folder + "/").isEmpty() && running.getAsBoolean()
                && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        if (!running.getAsBoolean()) {
            throw new AssertionError("the backup into " + folder + " ended before it was seen uploading");
        }
    }

    /** A fresh folder name per test, so tests never see each other's objects. */
    static String folder(String name) {
        return "e2e/" + name + "-" + Long.toString(System.nanoTime(), 36);
    }

    Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put("PGPASSWORD", pg.password());
        env.put("AWS_ACCESS_KEY_ID", s3.accessKey());
        env.put("AWS_SECRET_ACCESS_KEY", s3.secretKey());
        return env;
    }

    List<String> storageArgs() {
        return List.of("--endpoint", s3.endpoint(), "--bucket", BUCKET);
    }

    List<String> backupArgs(String folder, String... extra) {
        List<String> args = new ArrayList<>(List.of("backup", "--host", pg.host(), "--port", String.valueOf(pg.port()),
                "--dbname", SOURCE_DB, "--username", pg.superuser()));
        args.addAll(storageArgs());
        args.addAll(List.of("--key", folder));
        args.addAll(List.of(extra));
        return args;
    }

    List<String> restoreArgs(String folder, String newDb, String... extra) {
        List<String> args = new ArrayList<>(List.of("restore", "--host", pg.host(), "--port",
                String.valueOf(pg.port()), "--dbname", newDb, "--username", pg.superuser()));
        args.addAll(storageArgs());
        args.addAll(List.of("--key", folder));
        args.addAll(List.of(extra));
        return args;
    }

    List<String> storageCommand(String command, String... extra) {
        List<String> args = new ArrayList<>(List.of(command));
        args.addAll(storageArgs());
        args.addAll(List.of(extra));
        return args;
    }

    AgentProcess.Outcome agent(List<String> args) {
        return AgentProcess.run(args, env());
    }

    AgentProcess.Outcome agent(List<String> args, Map<String, String> envOverrides) {
        Map<String, String> env = env();
        env.putAll(envOverrides);
        return AgentProcess.run(args, env);
    }

    /** Backs up the sample database into a new folder and returns the folder; fails the test if it fails. */
    String backup(String name, String... extra) {
        return backupInto(folder(name), extra);
    }

    /** Backs up the sample database into the given folder. */
    String backupInto(String folder, String... extra) {
        AgentProcess.Outcome out = agent(backupArgs(folder, extra));
        if (out.exitCode() != 0) {
            throw new AssertionError("backup failed: " + out.stdout() + "\n" + out.stderr());
        }
        return folder;
    }
}

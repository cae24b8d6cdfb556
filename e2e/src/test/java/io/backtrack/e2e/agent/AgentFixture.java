package io.backtrack.e2e.agent;

import io.backtrack.e2e.postgres.DatabaseFingerprint;
import io.backtrack.e2e.postgres.PostgresServer;
import io.backtrack.e2e.postgres.SampleData;
import io.backtrack.e2e.s3.S3Server;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the agent e2e tests share in one JVM: one PostgreSQL with the sample "shop" database, one S3Proxy with
 * a bucket, and builders for the agent's argument lists and environment.
 */
final class AgentFixture {
    static final String BUCKET = "agent-e2e";
    static final String SOURCE_DB = "shop";
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

    /** The archive a folder's manifest names (archive names are not fixed: read them from the manifest). */
    String archiveKey(String folder) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper()
                    .readTree(s3.readObject(BUCKET, folder + "/manifest.json")).get("archiveKey").asText();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
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

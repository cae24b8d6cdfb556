package io.backtrack.controller.backup;

import io.backtrack.api.backup.BackupSpec;
import io.backtrack.api.backup.Compression;
import io.backtrack.api.database.DatabaseSpec;
import io.backtrack.api.storage.S3Storage;
import io.backtrack.contract.durations.Durations;
import io.backtrack.contract.wire.ArchiveCompression;

import java.util.ArrayList;
import java.util.List;

/**
 * Checks a BackupSpec before anything runs. The CRD schema refuses most of this at `kubectl apply`; this
 * repeats it for API servers without CEL and for resources written before a schema change.
 */
public final class BackupValidator {
    private BackupValidator() {
    }

    /** Every problem found, each a sentence for the person reading the condition; empty when valid. */
    public static List<String> problems(BackupSpec spec) {
        List<String> problems = new ArrayList<>();
        if (spec == null) {
            return List.of("spec is missing");
        }
        database(spec.database(), problems);
        storage(spec.storage() == null ? null : spec.storage().s3(), problems);
        compression(spec.compressionOrDefault(), problems);
        try {
            Durations.parseOptional(spec.ttl(), "ttl");
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
        }
        if (spec.job() != null) {
            if (spec.job().activeDeadlineSeconds() != null && spec.job().activeDeadlineSeconds() < 1) {
                problems.add("job.activeDeadlineSeconds must be at least 1");
            }
            if (spec.job().backoffLimit() != null && spec.job().backoffLimit() < 0) {
                problems.add("job.backoffLimit must not be negative");
            }
        }
        return problems;
    }

    private static void database(DatabaseSpec db, List<String> problems) {
        if (db == null) {
            problems.add("spec.database is required");
            return;
        }
        if (blank(db.host())) {
            problems.add("database.host is required");
        }
        if (blank(db.database())) {
            problems.add("database.database is required");
        }
        if (db.port() != null && (db.port() < 1 || db.port() > 65535)) {
            problems.add("database.port " + db.port() + " is not a TCP port (1-65535)");
        }
        if (db.credentialsSecret() == null || blank(db.credentialsSecret().name())) {
            problems.add("database.credentialsSecret.name is required");
        }
    }

    private static void storage(S3Storage s3, List<String> problems) {
        if (s3 == null) {
            problems.add("spec.storage.s3 is required");
            return;
        }
        if (blank(s3.endpoint()) || !s3.endpoint().matches("^https?://.+")) {
            problems.add("storage.s3.endpoint must be an http:// or https:// URL, got \"" + s3.endpoint() + "\"");
        }
        if (blank(s3.bucket())) {
            problems.add("storage.s3.bucket is required");
        }
        if (s3.credentialsSecret() == null || blank(s3.credentialsSecret().name())) {
            problems.add("storage.s3.credentialsSecret.name is required");
        }
    }

    /** The agent's own rule for levels (the contract's), in the words of the spec. */
    private static void compression(Compression c, List<String> problems) {
        ArchiveCompression.parse(c.algorithmOrDefault().name()).levelProblem(c.level())
                .ifPresent(p -> problems.add("compression " + p));
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}

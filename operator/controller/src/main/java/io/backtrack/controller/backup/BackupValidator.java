package io.backtrack.controller.backup;

import io.backtrack.api.backup.BackupSpec;
import io.backtrack.api.backup.Compression;
import io.backtrack.api.backup.DeletionPolicy;
import io.backtrack.api.database.DatabaseSpec;
import io.backtrack.contract.durations.Durations;
import io.backtrack.contract.wire.ArchiveCompression;
import io.backtrack.controller.job.EncryptionAccess;
import io.backtrack.controller.job.JobSettingsCheck;
import io.backtrack.controller.secrets.TlsRules;
import io.backtrack.controller.storage.S3Checks;

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
        if (spec.discovered()) {
            discovered(spec, problems);
        } else {
            database(spec.database(), problems);
        }
        storage(spec, problems);
        compression(spec.compressionOrDefault(), problems);
        try {
            Durations.parseOptional(spec.ttl(), "ttl");
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
        }
        problems.addAll(JobSettingsCheck.problems(spec.job(), "job"));
        problems.addAll(EncryptionAccess.problems(spec.encryption(), "encryption"));
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
        TlsRules.database(db.tls(), "database.tls", problems);
    }

    /** What the CRD's rules say of a Backup a sync created, for a hand-written one. */
    private static void discovered(BackupSpec spec, List<String> problems) {
        if (spec.database() != null) {
            problems.add(BackupSpec.DATABASE_UNLESS_DISCOVERED);
        }
        if (spec.storageRef() == null) {
            problems.add("a Backup with origin Discovered names the BackupStorage it was found in (storageRef)");
        }
        if (spec.deletionPolicyOrDefault() != DeletionPolicy.Retain) {
            problems.add("a Backup with origin Discovered keeps its archive when deleted: deletionPolicy Retain");
        }
    }

    /** Exactly one of inline storage and storageRef; the BackupStorage itself is checked when it is read. */
    private static void storage(BackupSpec spec, List<String> problems) {
        if ((spec.storage() == null) == (spec.storageRef() == null)) {
            problems.add(BackupSpec.ONE_STORAGE);
        } else if (spec.storage() != null) {
            problems.addAll(S3Checks.problems(spec.storage().s3(), "storage.s3"));
        } else if (blank(spec.storageRef().name())) {
            problems.add("storageRef.name is required");
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

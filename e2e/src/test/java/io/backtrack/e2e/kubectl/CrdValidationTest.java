package io.backtrack.e2e.kubectl;

import io.backtrack.api.backup.BackupSpec;
import io.backtrack.api.restore.RestoreSource;
import io.backtrack.api.storage.ServerSideEncryptionSpec;
import io.backtrack.e2e.cluster.ControlPlane.KubectlResult;
import io.backtrack.e2e.harness.BacktrackEnvironment;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every rule of the CRDs in {@code crds/} (their OpenAPI schema: required fields, enums, minimums, patterns; and
 * their CEL rules) refuses its bad input at {@code kubectl apply}, with a message that names the field and says
 * what is wrong, and nothing is stored. The rules come from the annotations in operator/api ({@code @Required},
 * {@code @Min}/{@code @Max}, {@code @Pattern}, {@code @ValidationRule}, enums).
 */
class CrdValidationTest {
    static final String NS = "crd-rules";
    static final String DATABASE = "database: {host: db.example, port: 5432, database: app, credentialsSecret: {name: db}}";
    /** A database whose tls is the one formatted in. */
    static final String TLS_DATABASE = "database: {host: db.example, database: app, credentialsSecret: {name: db}, tls: %s}";
    static final String STORAGE = "storage: {s3: {endpoint: 'http://s3.example:9000', bucket: b, credentialsSecret: {name: s3}}}";

    static BacktrackEnvironment env;

    @BeforeAll
    static void environment() {
        env = BacktrackEnvironment.shared();
        env.namespace(NS);
    }

    static Stream<Arguments> badBackups() {
        String compression = "compression level must be 1-22 for zstd, 1-9 for gzip, and absent for none";
        return Stream.of(
                Arguments.of("zstd level 99", DATABASE + "\n  " + STORAGE + "\n  compression: {algorithm: zstd, level: 99}", compression),
                Arguments.of("gzip level 10", DATABASE + "\n  " + STORAGE + "\n  compression: {algorithm: gzip, level: 10}", compression),
                Arguments.of("a level without compression", DATABASE + "\n  " + STORAGE + "\n  compression: {algorithm: none, level: 1}", compression),
                Arguments.of("an unknown algorithm", DATABASE + "\n  " + STORAGE + "\n  compression: {algorithm: lz4}",
                        "spec.compression.algorithm: Unsupported value: \"lz4\": supported values: \"gzip\", \"none\", \"zstd\""),
                Arguments.of("no database", STORAGE, BackupSpec.DATABASE_UNLESS_DISCOVERED),
                Arguments.of("a discovered Backup with a database", DATABASE + "\n  storageRef: {name: prod}\n  origin: Discovered",
                        BackupSpec.DATABASE_UNLESS_DISCOVERED),
                Arguments.of("a discovered Backup with inline storage", STORAGE + "\n  origin: Discovered",
                        "a Backup with origin Discovered names the BackupStorage it was found in (storageRef)"),
                Arguments.of("a discovered Backup that would delete its archive",
                        "storageRef: {name: prod}\n  origin: Discovered\n  deletionPolicy: Delete",
                        "a Backup with origin Discovered keeps its archive when deleted: deletionPolicy Retain"),
                Arguments.of("an unknown origin", DATABASE + "\n  " + STORAGE + "\n  origin: Imported",
                        "spec.origin: Unsupported value: \"Imported\""),
                Arguments.of("no host", "database: {database: app, credentialsSecret: {name: db}}\n  " + STORAGE,
                        "spec.database.host: Required value"),
                Arguments.of("no database name", "database: {host: h, credentialsSecret: {name: db}}\n  " + STORAGE,
                        "spec.database.database: Required value"),
                Arguments.of("no credentials", "database: {host: h, database: app}\n  " + STORAGE,
                        "spec.database.credentialsSecret: Required value"),
                Arguments.of("a Secret without a name", "database: {host: h, database: app, credentialsSecret: {}}\n  " + STORAGE,
                        "spec.database.credentialsSecret.name: Required value"),
                Arguments.of("port 0", "database: {host: h, port: 0, database: app, credentialsSecret: {name: db}}\n  " + STORAGE,
                        "spec.database.port: Invalid value: 0: spec.database.port in body should be greater than or equal to 1"),
                Arguments.of("port 70000", "database: {host: h, port: 70000, database: app, credentialsSecret: {name: db}}\n  " + STORAGE,
                        "spec.database.port: Invalid value: 70000: spec.database.port in body should be less than or equal to 65535"),
                Arguments.of("no storage", DATABASE, BackupSpec.ONE_STORAGE),
                Arguments.of("both storage and storageRef", DATABASE + "\n  " + STORAGE + "\n  storageRef: {name: prod}",
                        BackupSpec.ONE_STORAGE),
                Arguments.of("a storageRef without a name", DATABASE + "\n  storageRef: {}", "spec.storageRef.name: Required value"),
                Arguments.of("storage without s3", DATABASE + "\n  storage: {}", "spec.storage.s3: Required value"),
                Arguments.of("an endpoint without a scheme", DATABASE
                                + "\n  storage: {s3: {endpoint: 'minio:9000', bucket: b, credentialsSecret: {name: s3}}}",
                        "spec.storage.s3.endpoint: Invalid value: \"minio:9000\": spec.storage.s3.endpoint in body should match '^https?://.+'"),
                Arguments.of("no bucket", DATABASE + "\n  storage: {s3: {endpoint: 'http://s3:9000', credentialsSecret: {name: s3}}}",
                        "spec.storage.s3.bucket: Required value"),
                Arguments.of("a CA bundle for a plain-HTTP store", DATABASE
                                + "\n  storage: {s3: {endpoint: 'http://s3:9000', bucket: b, caSecret: {name: ca}}}",
                        "caSecret needs an https:// endpoint"),
                Arguments.of("database TLS without a mode", TLS_DATABASE.formatted("{caSecret: {name: ca}}") + "\n  " + STORAGE,
                        "spec.database.tls.mode: Required value"),
                Arguments.of("an sslmode libpq does not know", TLS_DATABASE.formatted("{mode: verify_full}") + "\n  " + STORAGE,
                        "spec.database.tls.mode: Unsupported value: \"verify_full\""),
                Arguments.of("verify-full without a CA", TLS_DATABASE.formatted("{mode: verify-full}") + "\n  " + STORAGE,
                        "caSecret is needed by, and only used with, mode verify-ca or verify-full"),
                Arguments.of("a CA with require", TLS_DATABASE.formatted("{mode: require, caSecret: {name: ca}}") + "\n  " + STORAGE,
                        "caSecret is needed by, and only used with, mode verify-ca or verify-full"),
                Arguments.of("a client certificate without TLS",
                        TLS_DATABASE.formatted("{mode: disable, clientCertSecret: {name: c}}") + "\n  " + STORAGE,
                        "clientCertSecret needs TLS: mode disable sends no certificate"),
                Arguments.of("a ttl in days", DATABASE + "\n  " + STORAGE + "\n  ttl: 30d",
                        "spec.ttl: Invalid value: \"30d\": spec.ttl in body should match"),
                Arguments.of("an unknown deletionPolicy", DATABASE + "\n  " + STORAGE + "\n  deletionPolicy: Keep",
                        "spec.deletionPolicy: Unsupported value: \"Keep\": supported values: \"Delete\", \"Retain\""),
                Arguments.of("activeDeadlineSeconds 0", DATABASE + "\n  " + STORAGE + "\n  job: {activeDeadlineSeconds: 0}",
                        "spec.job.activeDeadlineSeconds: Invalid value: 0: spec.job.activeDeadlineSeconds in body should be greater than or equal to 1"),
                Arguments.of("a negative backoffLimit", DATABASE + "\n  " + STORAGE + "\n  job: {backoffLimit: -1}",
                        "spec.job.backoffLimit: Invalid value: -1: spec.job.backoffLimit in body should be greater than or equal to 0"),
                Arguments.of("an encryption without age", DATABASE + "\n  " + STORAGE + "\n  encryption: {}",
                        "spec.encryption.age: Required value"),
                Arguments.of("age recipients in a Secret without a name", DATABASE + "\n  " + STORAGE
                                + "\n  encryption: {age: {recipientsSecret: {name: ''}}}",
                        "spec.encryption.age.recipientsSecret.name in body should be at least 1 chars long"));
    }

    @ParameterizedTest(name = "a Backup with {0}")
    @MethodSource("badBackups")
    void aBadBackupIsRefusedAtApply(String what, String spec, String message) {
        assertRefused("Backup", "bad-backup", spec, message);
    }

    static Stream<Arguments> badRestores() {
        String exactlyOne = "set exactly one of backupName (a Backup in this namespace) and source (a backup folder in storage)";
        return Stream.of(
                Arguments.of("neither backupName nor source", "strategy: swap", exactlyOne),
                Arguments.of("both backupName and source", "backupName: x\n  source: {key: a/b, " + STORAGE + "}", exactlyOne),
                Arguments.of("a source without a key", "source: {" + STORAGE + "}", "spec.source.key: Required value"),
                Arguments.of("a source without storage", "source: {key: a/b}", RestoreSource.ONE_STORAGE),
                Arguments.of("a source with storage and storageRef", "source: {key: a/b, storageRef: {name: prod}, "
                        + STORAGE + "}", RestoreSource.ONE_STORAGE),
                Arguments.of("an unknown strategy", "backupName: x\n  strategy: rename",
                        "spec.strategy: Unsupported value: \"rename\": supported values: \"inPlace\", \"newDatabase\", \"swap\""),
                Arguments.of("target port 0", "backupName: x\n  target: {port: 0}",
                        "spec.target.port: Invalid value: 0: spec.target.port in body should be greater than or equal to 1"),
                Arguments.of("an unknown verify mode", "backupName: x\n  verify: checksums",
                        "spec.verify: Unsupported value: \"checksums\""),
                Arguments.of("a lockTimeout of 1.5m", "backupName: x\n  lockTimeout: 1.5m",
                        "spec.lockTimeout: Invalid value: \"1.5m\": spec.lockTimeout in body should match"),
                Arguments.of("parallelJobs 0", "backupName: x\n  parallelJobs: 0",
                        "spec.parallelJobs: Invalid value: 0: spec.parallelJobs in body should be greater than or equal to 1"),
                Arguments.of("parallelJobs 65", "backupName: x\n  parallelJobs: 65",
                        "spec.parallelJobs: Invalid value: 65: spec.parallelJobs in body should be less than or equal to 64"),
                Arguments.of("parallelJobs in place", "backupName: x\n  strategy: inPlace\n  parallelJobs: 2",
                        "strategy inPlace restores in one transaction, which parallel jobs cannot share"),
                Arguments.of("parallelJobs in a drill", "backupName: x\n  parallelJobs: 2\n  drill: {}\n  target: "
                        + "{host: h, database: scratch, credentialsSecret: {name: s}}",
                        "leave strategy (newDatabase), scope, quiesce, safetyBackup, verify and parallelJobs unset"),
                Arguments.of("a decryption without its Secret", "backupName: x\n  decryption: {}",
                        "spec.decryption.identitySecret: Required value"),
                Arguments.of("an identity Secret without a name", "backupName: x\n  decryption: {identitySecret: {key: k}}",
                        "spec.decryption.identitySecret.name: Required value"));
    }

    @ParameterizedTest(name = "a Restore with {0}")
    @MethodSource("badRestores")
    void aBadRestoreIsRefusedAtApply(String what, String spec, String message) {
        assertRefused("Restore", "bad-restore", spec, message);
    }

    static Stream<Arguments> badSchedules() {
        String template = "backupTemplate: {spec: {" + DATABASE + ", " + STORAGE + "}}";
        return Stream.of(
                Arguments.of("no schedule", template, "spec.schedule: Required value"),
                Arguments.of("no backupTemplate", "schedule: '@daily'", "spec.backupTemplate: Required value"),
                Arguments.of("a template without a spec", "schedule: '@daily'\n  backupTemplate: {metadata: {labels: {a: b}}}",
                        "spec.backupTemplate.spec: Required value"),
                Arguments.of("a template with zstd level 99", "schedule: '@daily'\n  backupTemplate: {spec: {" + DATABASE
                                + ", " + STORAGE + ", compression: {algorithm: zstd, level: 99}}}",
                        "compression level must be 1-22 for zstd, 1-9 for gzip, and absent for none"),
                Arguments.of("a template without storage", "schedule: '@daily'\n  backupTemplate: {spec: {" + DATABASE
                        + "}}", BackupSpec.ONE_STORAGE),
                Arguments.of("a template that claims to be discovered", "schedule: '@daily'\n  backupTemplate: {spec: "
                        + "{storageRef: {name: prod}, origin: Discovered}}",
                        "backupTemplate.spec.origin is set by the operator only"),
                Arguments.of("a negative keepLast", "schedule: '@daily'\n  " + template + "\n  retention: {keepLast: -1}",
                        "spec.retention.keepLast: Invalid value: -1: spec.retention.keepLast in body should be greater than or equal to 0"),
                Arguments.of("a negative keepDaily", "schedule: '@daily'\n  " + template + "\n  retention: {keepDaily: -3}",
                        "spec.retention.keepDaily: Invalid value: -3: spec.retention.keepDaily in body should be greater than or equal to 0"),
                Arguments.of("a maxAge in days", "schedule: '@daily'\n  " + template + "\n  retention: {maxAge: 90d}",
                        "spec.retention.maxAge: Invalid value: \"90d\": spec.retention.maxAge in body should match"),
                Arguments.of("a negative startingDeadlineSeconds", "schedule: '@daily'\n  " + template + "\n  startingDeadlineSeconds: -1",
                        "spec.startingDeadlineSeconds: Invalid value: -1: spec.startingDeadlineSeconds in body should be greater than or equal to 0"),
                Arguments.of("a negative failedBackupsHistoryLimit", "schedule: '@daily'\n  " + template
                                + "\n  failedBackupsHistoryLimit: -1",
                        "spec.failedBackupsHistoryLimit: Invalid value: -1"),
                Arguments.of("an unknown concurrencyPolicy", "schedule: '@daily'\n  " + template + "\n  concurrencyPolicy: Sometimes",
                        "spec.concurrencyPolicy: Unsupported value: \"Sometimes\": supported values: \"Allow\", \"Forbid\", \"Replace\""));
    }

    @ParameterizedTest(name = "a BackupSchedule with {0}")
    @MethodSource("badSchedules")
    void aBadScheduleIsRefusedAtApply(String what, String spec, String message) {
        assertRefused("BackupSchedule", "bad-schedule", spec, message);
    }

    static Stream<Arguments> badStorages() {
        return Stream.of(
                Arguments.of("no s3", "probeInterval: 1h", "spec.s3: Required value"),
                Arguments.of("an endpoint without a scheme", "s3: {endpoint: 'minio:9000', bucket: b, credentialsSecret: {name: s3}}",
                        "spec.s3.endpoint in body should match '^https?://.+'"),
                Arguments.of("no bucket", "s3: {endpoint: 'http://s3:9000', credentialsSecret: {name: s3}}",
                        "spec.s3.bucket: Required value"),
                Arguments.of("a KMS key for SSE-S3", "s3: {endpoint: 'http://s3:9000', bucket: b, credentialsSecret: "
                        + "{name: s3}, sse: {type: S3, kmsKeyId: k}}", ServerSideEncryptionSpec.KEY_ONLY_FOR_KMS),
                Arguments.of("an unknown SSE type", "s3: {endpoint: 'http://s3:9000', bucket: b, credentialsSecret: "
                        + "{name: s3}, sse: {type: aws:kms}}", "spec.s3.sse.type: Unsupported value: \"aws:kms\""),
                Arguments.of("a probeInterval in days", "s3: {endpoint: 'http://s3:9000', bucket: b, credentialsSecret: "
                        + "{name: s3}}\n  probeInterval: 1d", "spec.probeInterval in body should match"),
                Arguments.of("an age encryption without its Secret", "s3: {endpoint: 'http://s3:9000', bucket: b, "
                        + "credentialsSecret: {name: s3}}\n  encryption: {age: {}}",
                        "spec.encryption.age.recipientsSecret: Required value"),
                Arguments.of("a sync without an interval", "s3: {endpoint: 'http://s3:9000', bucket: b, credentialsSecret: "
                        + "{name: s3}}\n  sync: {}", "spec.sync.interval: Required value"),
                Arguments.of("a sync interval in days", "s3: {endpoint: 'http://s3:9000', bucket: b, credentialsSecret: "
                        + "{name: s3}}\n  sync: {interval: 1d}", "spec.sync.interval in body should match"));
    }

    @ParameterizedTest(name = "a BackupStorage with {0}")
    @MethodSource("badStorages")
    void aBadBackupStorageIsRefusedAtApply(String what, String spec, String message) {
        assertRefused("BackupStorage", "bad-storage", spec, message);
    }

    @Test
    void aBackupStorageAndABackupThatNamesItAreAccepted() {
        apply(doc("BackupStorage", "named-storage", "s3: {endpoint: 'http://s3:9000', bucket: b, prefix: prod, "
                + "credentialsSecret: {name: s3}, sse: {type: KMS, kmsKeyId: 'arn:aws:kms:eu-central-1:1:key/k'}}"
                + "\n  probeInterval: 30m")).ok();
        apply(doc("Backup", "by-storage-ref", DATABASE + "\n  storageRef: {name: named-storage}")).ok();
        apply(doc("Restore", "by-source-storage-ref", "source: {key: prod/shop/x, storageRef: {name: named-storage}}")).ok();
    }

    @Test
    void aBackupsSpecCannotBeChanged() {
        apply(doc("Backup", "immutable-backup", DATABASE + "\n  " + STORAGE + "\n  deletionPolicy: Retain")).ok();
        KubectlResult changed = apply(doc("Backup", "immutable-backup", DATABASE + "\n  " + STORAGE + "\n  deletionPolicy: Delete"));
        assertThat(changed.exit()).as(changed.toString()).isNotZero();
        assertThat(changed.err()).contains("a Backup's spec is immutable: create a new Backup instead");
    }

    @Test
    void aRestoresSpecCannotBeChanged() {
        apply(doc("Restore", "immutable-restore", "backupName: one")).ok();
        KubectlResult changed = apply(doc("Restore", "immutable-restore", "backupName: another"));
        assertThat(changed.exit()).as(changed.toString()).isNotZero();
        assertThat(changed.err()).contains("a Restore's spec is immutable: create a new Restore instead");
    }

    private static void assertRefused(String kind, String name, String spec, String message) {
        KubectlResult r = apply(doc(kind, name, spec));
        assertThat(r.exit()).as("kubectl apply of %s:\n%s\n%s", kind, spec, r).isNotZero();
        assertThat(r.err()).as("kubectl's message").contains("is invalid").contains(message);
        assertThat(env.kubectl("get", kind.toLowerCase() + ".backtrack.io", name, "-n", NS, "--ignore-not-found", "-o", "name").out())
                .as("nothing stored").isEmpty();
    }

    private static KubectlResult apply(String yaml) {
        return env.kubectlWithInput(yaml, "apply", "-f", "-");
    }

    private static String doc(String kind, String name, String spec) {
        return """
                apiVersion: backtrack.io/v1alpha1
                kind: %s
                metadata: {name: %s, namespace: %s}
                spec:
                  %s
                """.formatted(kind, name, NS, spec);
    }
}

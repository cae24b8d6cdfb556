package io.backtrack.e2e.kubectl;

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
                Arguments.of("no database", STORAGE, "spec.database: Required value"),
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
                Arguments.of("no storage", DATABASE, "spec.storage: Required value"),
                Arguments.of("storage without s3", DATABASE + "\n  storage: {}", "spec.storage.s3: Required value"),
                Arguments.of("an endpoint without a scheme", DATABASE
                                + "\n  storage: {s3: {endpoint: 'minio:9000', bucket: b, credentialsSecret: {name: s3}}}",
                        "spec.storage.s3.endpoint: Invalid value: \"minio:9000\": spec.storage.s3.endpoint in body should match '^https?://.+'"),
                Arguments.of("no bucket", DATABASE + "\n  storage: {s3: {endpoint: 'http://s3:9000', credentialsSecret: {name: s3}}}",
                        "spec.storage.s3.bucket: Required value"),
                Arguments.of("no S3 credentials", DATABASE + "\n  storage: {s3: {endpoint: 'http://s3:9000', bucket: b}}",
                        "spec.storage.s3.credentialsSecret: Required value"),
                Arguments.of("a ttl in days", DATABASE + "\n  " + STORAGE + "\n  ttl: 30d",
                        "spec.ttl: Invalid value: \"30d\": spec.ttl in body should match"),
                Arguments.of("an unknown deletionPolicy", DATABASE + "\n  " + STORAGE + "\n  deletionPolicy: Keep",
                        "spec.deletionPolicy: Unsupported value: \"Keep\": supported values: \"Delete\", \"Retain\""),
                Arguments.of("activeDeadlineSeconds 0", DATABASE + "\n  " + STORAGE + "\n  job: {activeDeadlineSeconds: 0}",
                        "spec.job.activeDeadlineSeconds: Invalid value: 0: spec.job.activeDeadlineSeconds in body should be greater than or equal to 1"),
                Arguments.of("a negative backoffLimit", DATABASE + "\n  " + STORAGE + "\n  job: {backoffLimit: -1}",
                        "spec.job.backoffLimit: Invalid value: -1: spec.job.backoffLimit in body should be greater than or equal to 0"));
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
                Arguments.of("a source without storage", "source: {key: a/b}", "spec.source.storage: Required value"),
                Arguments.of("an unknown strategy", "backupName: x\n  strategy: rename",
                        "spec.strategy: Unsupported value: \"rename\": supported values: \"inPlace\", \"newDatabase\", \"swap\""),
                Arguments.of("target port 0", "backupName: x\n  target: {port: 0}",
                        "spec.target.port: Invalid value: 0: spec.target.port in body should be greater than or equal to 1"),
                Arguments.of("an unknown verify mode", "backupName: x\n  verify: checksums",
                        "spec.verify: Unsupported value: \"checksums\""),
                Arguments.of("a lockTimeout of 1.5m", "backupName: x\n  lockTimeout: 1.5m",
                        "spec.lockTimeout: Invalid value: \"1.5m\": spec.lockTimeout in body should match"));
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

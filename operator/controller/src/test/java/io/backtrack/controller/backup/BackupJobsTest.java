package io.backtrack.controller.backup;

import io.backtrack.api.BacktrackApi;
import io.backtrack.api.backup.Backup;
import io.backtrack.contract.wire.ArchiveCompression;
import io.backtrack.controller.naming.LabelValues;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.backtrack.api.database.DatabaseTls;
import io.backtrack.api.database.SslMode;
import io.backtrack.api.storage.S3Credentials;
import io.backtrack.api.storage.S3Storage;
import io.backtrack.api.tls.CaSecret;
import io.backtrack.api.tls.ClientCertSecret;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BackupJobsTest {
    private final BackupJobs jobs = new BackupJobs(io.backtrack.controller.TestAgentConfig.INSTANCE);

    private Job backupJob(Backup backup) {
        return jobs.backup(backup, backup.getSpec().storage().s3(), null);
    }

    private Job cleanupJob(Backup backup) {
        return jobs.cleanup(backup, backup.getSpec().storage().s3());
    }

    @Test
    void backupJobRunsTheAgentWithArgumentsAsAList() {
        Job job = backupJob(TestBackups.backup());
        Container c = job.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(c.getCommand()).isNullOrEmpty();
        assertThat(c.getArgs()).containsSubsequence("backup", "--host", "orders-db.shop.svc", "--port", "5432",
                "--dbname", "orders");
        assertThat(c.getArgs()).containsSubsequence("--endpoint", "http://minio.storage.svc:9000", "--bucket", "db-backups",
                "--region", "us-east-1", "--key", "prod/shop/orders-before-migration");
        assertThat(c.getArgs()).containsSubsequence("--compression", "zstd", "--level", "5");
        assertThat(c.getArgs()).containsSubsequence("--table", "public.orders");
        assertThat(c.getArgs()).containsSubsequence("--description", "before v42");
        assertThat(c.getArgs()).containsSubsequence("--namespace", "shop", "--backup-name", "orders-before-migration");
    }

    @Test
    void aBackupWithoutACompressionBlockRunsZstdAtTheOneDefaultLevel() {
        Backup backup = TestBackups.backup("no-compression", TestBackups.spec(null, null, null));
        Container c = backupJob(backup).getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(c.getArgs()).containsSubsequence("--compression", "zstd", "--level",
                Integer.toString(ArchiveCompression.ZSTD_DEFAULT_LEVEL));
        assertThat(ArchiveCompression.ZSTD_DEFAULT_LEVEL).isEqualTo(1);
    }

    @Test
    void credentialsArriveOnlyAsSecretKeyRefs() {
        Container c = backupJob(TestBackups.backup()).getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(c.getEnv()).extracting(EnvVar::getName)
                .contains("PGUSER", "PGPASSWORD", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "BACKTRACK_TERMINATION_LOG");
        for (EnvVar e : c.getEnv()) {
            if (!e.getName().equals("BACKTRACK_TERMINATION_LOG")) {
                assertThat(e.getValue()).as(e.getName()).isNull();
                assertThat(e.getValueFrom().getSecretKeyRef()).as(e.getName()).isNotNull();
            }
        }
        assertThat(c.getEnv()).filteredOn(e -> e.getName().equals("PGPASSWORD"))
                .singleElement().satisfies(e -> {
                    assertThat(e.getValueFrom().getSecretKeyRef().getName()).isEqualTo("orders-db");
                    assertThat(e.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("password");
                });
    }

    @Test
    void withoutACredentialsSecretTheJobCarriesNoKeyAndTheAgentFindsThePodsCloudIdentity() {
        Backup backup = TestBackups.backup("irsa", TestBackups.spec(
                new S3Storage("https://s3.eu-central-1.amazonaws.com", "db-backups", "eu-central-1", "prod", null, null),
                null));
        PodSpec pod = backupJob(backup).getSpec().getTemplate().getSpec();
        assertThat(pod.getContainers().get(0).getEnv()).extracting(EnvVar::getName)
                .containsExactlyInAnyOrder("PGUSER", "PGPASSWORD", "BACKTRACK_TERMINATION_LOG");
        assertThat(pod.getContainers().get(0).getArgs()).doesNotContain("--virtual-host-style", "--storage-ca-file");
        assertThat(pod.getAutomountServiceAccountToken()).as("EKS's webhooks mount their own token").isFalse();
        assertThat(pod.getVolumes()).extracting(Volume::getName).containsExactly("tmp");
    }

    @Test
    void tlsFilesAreMountedReadOnlyFromOnlyTheirSecretKeysAndNamedByFlags() {
        Backup backup = TestBackups.backup("tls", TestBackups.spec(
                new S3Storage("https://minio.storage.svc:9000", "db-backups", null, "prod", false,
                        new S3Credentials("s3-creds", null, null), new CaSecret("corp-ca", null), null),
                new DatabaseTls(SslMode.verifyFull, new CaSecret("db-ca", "ca.pem"),
                        new ClientCertSecret("db-client", "client.crt", "client.key"))));
        PodSpec pod = backupJob(backup).getSpec().getTemplate().getSpec();
        Container c = pod.getContainers().get(0);
        assertThat(c.getArgs()).containsSubsequence("--sslmode", "verify-full", "--sslrootcert", "/etc/backtrack/database-ca/ca.crt",
                "--sslcert", "/etc/backtrack/database-client/tls.crt", "--sslkey", "/etc/backtrack/database-client/tls.key");
        assertThat(c.getArgs()).containsSubsequence("--storage-ca-file", "/etc/backtrack/storage-ca/ca.crt", "--virtual-host-style");
        assertThat(c.getVolumeMounts()).filteredOn(m -> !m.getName().equals("tmp"))
                .extracting(m -> m.getName() + " " + m.getMountPath() + " " + m.getReadOnly())
                .containsExactlyInAnyOrder("database-ca /etc/backtrack/database-ca true",
                        "database-client /etc/backtrack/database-client true",
                        "storage-ca /etc/backtrack/storage-ca true");
        assertThat(pod.getVolumes()).filteredOn(v -> v.getSecret() != null).allSatisfy(v -> {
            assertThat(v.getSecret().getDefaultMode()).as(v.getName()).isEqualTo(0400);
            assertThat(v.getSecret().getOptional()).isFalse();
        });
        assertThat(pod.getVolumes()).filteredOn(v -> v.getName().equals("database-client")).singleElement()
                .satisfies(v -> {
                    assertThat(v.getSecret().getSecretName()).isEqualTo("db-client");
                    assertThat(v.getSecret().getItems()).extracting(i -> i.getKey() + "->" + i.getPath())
                            .containsExactly("client.crt->tls.crt", "client.key->tls.key");
                });
        assertThat(pod.getVolumes()).filteredOn(v -> v.getName().equals("storage-ca")).singleElement()
                .satisfies(v -> assertThat(v.getSecret().getItems()).extracting(i -> i.getKey() + "->" + i.getPath())
                        .containsExactly("ca.crt->ca.crt"));
        Container cleanup = cleanupJob(backup).getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(cleanup.getArgs()).contains("--storage-ca-file").doesNotContain("--sslmode");
        assertThat(cleanup.getVolumeMounts()).extracting(VolumeMount::getName).containsExactlyInAnyOrder("tmp", "storage-ca");
    }

    @Test
    void podIsLockedDown() {
        Job job = backupJob(TestBackups.backup());
        PodSpec pod = job.getSpec().getTemplate().getSpec();
        Container c = pod.getContainers().get(0);
        assertThat(pod.getRestartPolicy()).isEqualTo("Never");
        assertThat(pod.getAutomountServiceAccountToken()).isFalse();
        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(65532L);
        assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
        assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
        assertThat(c.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(c.getVolumeMounts()).anySatisfy(m -> assertThat(m.getMountPath()).isEqualTo("/tmp"));
        assertThat(c.getTerminationMessagePolicy()).isEqualTo("FallbackToLogsOnError");
        assertThat(job.getSpec().getBackoffLimit()).isEqualTo(2);
        assertThat(job.getSpec().getActiveDeadlineSeconds()).isEqualTo(3600L);
    }

    @Test
    void anAgentFailureWithAReasonOrAUsageErrorFailsTheJobAtOnceAndOnlyDisruptionsAndSignalsAreRetried() {
        for (Job job : java.util.List.of(backupJob(TestBackups.backup()), cleanupJob(TestBackups.backup()))) {
            assertThat(job.getSpec().getPodReplacementPolicy()).isEqualTo("Failed");
            var rules = job.getSpec().getPodFailurePolicy().getRules();
            assertThat(rules).hasSize(2);
            assertThat(rules.get(0).getAction()).isEqualTo("Ignore");
            assertThat(rules.get(0).getOnPodConditions()).singleElement().satisfies(c -> {
                assertThat(c.getType()).isEqualTo("DisruptionTarget");
                assertThat(c.getStatus()).isEqualTo("True");
            });
            assertThat(rules.get(1).getAction()).isEqualTo("FailJob");
            assertThat(rules.get(1).getOnExitCodes().getContainerName()).isEqualTo("agent");
            assertThat(rules.get(1).getOnExitCodes().getOperator()).isEqualTo("In");
            assertThat(rules.get(1).getOnExitCodes().getValues()).containsExactly(1, 2);
        }
    }

    @Test
    void jobIsOwnedAndLabelled() {
        Backup backup = TestBackups.backup();
        Job job = backupJob(backup);
        assertThat(job.getMetadata().getName()).isEqualTo(BackupJobs.backupJobName(backup));
        assertThat(job.getMetadata().getOwnerReferences()).singleElement().satisfies(o -> {
            assertThat(o.getController()).isTrue();
            assertThat(o.getUid()).isEqualTo("uid-1");
            assertThat(o.getKind()).isEqualTo("Backup");
        });
        assertThat(job.getMetadata().getLabels())
                .containsEntry(BacktrackApi.MANAGED_BY_LABEL, "backtrack")
                .containsEntry(BacktrackApi.BACKUP_LABEL, "orders-before-migration")
                .containsEntry(BacktrackApi.ROLE_LABEL, "backup");
        assertThat(job.getSpec().getTemplate().getMetadata().getLabels()).containsAllEntriesOf(job.getMetadata().getLabels());
    }

    @Test
    void aLongBackupNameIsShortenedInTheJobsLabels() {
        String name = "orders-" + "x".repeat(200);
        Backup backup = TestBackups.backup(name, TestBackups.spec(null, null, null));
        for (Job job : java.util.List.of(backupJob(backup), cleanupJob(backup))) {
            assertThat(job.getMetadata().getName()).hasSizeLessThanOrEqualTo(63);
            assertThat(job.getMetadata().getLabels()).containsEntry(BacktrackApi.BACKUP_LABEL, LabelValues.of(name))
                    .allSatisfy((k, v) -> assertThat(LabelValues.isValid(v)).as("label %s=%s", k, v).isTrue());
        }
    }

    @Test
    void aScheduledBackupTellsTheAgentItsSchedulesFullName() {
        String schedule = "nightly-" + "s".repeat(100);
        Backup backup = TestBackups.backup();
        backup.getMetadata().setLabels(java.util.Map.of(BacktrackApi.SCHEDULE_LABEL, LabelValues.of(schedule)));
        backup.getMetadata().setAnnotations(java.util.Map.of(BacktrackApi.SCHEDULE_LABEL, schedule));
        Container c = backupJob(backup).getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(c.getArgs()).containsSubsequence("--schedule", schedule);
    }

    @Test
    void cleanupJobDeletesTheFolderWithStorageCredentialsOnly() {
        Backup backup = TestBackups.backup();
        Job job = cleanupJob(backup);
        Container c = job.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(job.getMetadata().getName()).isNotEqualTo(BackupJobs.backupJobName(backup));
        assertThat(c.getArgs()).containsSubsequence("delete", "--endpoint", "http://minio.storage.svc:9000",
                "--bucket", "db-backups", "--region", "us-east-1", "--key", "prod/shop/orders-before-migration");
        assertThat(c.getEnv()).extracting(EnvVar::getName).doesNotContain("PGPASSWORD");
        assertThat(job.getMetadata().getLabels()).containsEntry(BacktrackApi.ROLE_LABEL, "cleanup");
    }

    @Test
    void serverSideEncryptionIsPassedToTheAgentAsTheStorageSaysIt() {
        var spec = TestBackups.spec(null, null, null);
        var s3 = spec.storage().s3();
        var kms = new io.backtrack.api.storage.S3Storage(s3.endpoint(), s3.bucket(), s3.region(), s3.prefix(),
                s3.forcePathStyle(), s3.credentialsSecret(), null, new io.backtrack.api.storage.ServerSideEncryptionSpec(
                io.backtrack.api.storage.ServerSideEncryptionType.KMS, "arn:aws:kms:eu-central-1:1:key/k"));
        var sseS3 = new io.backtrack.api.storage.S3Storage(s3.endpoint(), s3.bucket(), s3.region(), s3.prefix(),
                s3.forcePathStyle(), s3.credentialsSecret(), null, new io.backtrack.api.storage.ServerSideEncryptionSpec(
                io.backtrack.api.storage.ServerSideEncryptionType.S3, null));
        Backup backup = TestBackups.backup();

        assertThat(jobs.backup(backup, kms, null).getSpec().getTemplate().getSpec().getContainers().get(0).getArgs())
                .containsSubsequence("--region", "us-east-1", "--sse", "KMS", "--sse-kms-key-id",
                        "arn:aws:kms:eu-central-1:1:key/k");
        assertThat(jobs.cleanup(backup, sseS3).getSpec().getTemplate().getSpec().getContainers().get(0).getArgs())
                .containsSubsequence("--sse", "S3").doesNotContain("--sse-kms-key-id");
        assertThat(backupJob(backup).getSpec().getTemplate().getSpec().getContainers().get(0).getArgs())
                .doesNotContain("--sse");
    }
}

package io.backtrack.controller.backup;

import io.backtrack.api.BacktrackApi;
import io.backtrack.api.backup.Backup;
import io.backtrack.contract.wire.ArchiveCompression;
import io.backtrack.controller.naming.LabelValues;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BackupJobsTest {
    private final BackupJobs jobs = new BackupJobs(io.backtrack.controller.TestAgentConfig.INSTANCE);

    @Test
    void backupJobRunsTheAgentWithArgumentsAsAList() {
        Job job = jobs.backup(TestBackups.backup());
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
        Container c = jobs.backup(backup).getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(c.getArgs()).containsSubsequence("--compression", "zstd", "--level",
                Integer.toString(ArchiveCompression.ZSTD_DEFAULT_LEVEL));
        assertThat(ArchiveCompression.ZSTD_DEFAULT_LEVEL).isEqualTo(1);
    }

    @Test
    void credentialsArriveOnlyAsSecretKeyRefs() {
        Container c = jobs.backup(TestBackups.backup()).getSpec().getTemplate().getSpec().getContainers().get(0);
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
    void podIsLockedDown() {
        Job job = jobs.backup(TestBackups.backup());
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
        for (Job job : java.util.List.of(jobs.backup(TestBackups.backup()), jobs.cleanup(TestBackups.backup()))) {
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
        Job job = jobs.backup(backup);
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
        for (Job job : java.util.List.of(jobs.backup(backup), jobs.cleanup(backup))) {
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
        Container c = jobs.backup(backup).getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(c.getArgs()).containsSubsequence("--schedule", schedule);
    }

    @Test
    void cleanupJobDeletesTheFolderWithStorageCredentialsOnly() {
        Backup backup = TestBackups.backup();
        Job job = jobs.cleanup(backup);
        Container c = job.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(job.getMetadata().getName()).isNotEqualTo(BackupJobs.backupJobName(backup));
        assertThat(c.getArgs()).containsSubsequence("delete", "--endpoint", "http://minio.storage.svc:9000",
                "--bucket", "db-backups", "--region", "us-east-1", "--key", "prod/shop/orders-before-migration");
        assertThat(c.getEnv()).extracting(EnvVar::getName).doesNotContain("PGPASSWORD");
        assertThat(job.getMetadata().getLabels()).containsEntry(BacktrackApi.ROLE_LABEL, "cleanup");
    }
}

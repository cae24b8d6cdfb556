package io.backtrack.e2e.restore;

import io.backtrack.api.BacktrackApi;
import io.backtrack.api.backup.Backup;
import io.backtrack.api.backup.BackupPhase;
import io.backtrack.api.restore.Restore;
import io.backtrack.api.restore.RestorePhase;
import io.backtrack.e2e.harness.BackupFactory;
import io.backtrack.e2e.harness.BacktrackEnvironment;
import io.backtrack.e2e.harness.RestoreFactory;
import io.backtrack.e2e.postgres.DatabaseFingerprint;
import io.backtrack.e2e.postgres.SampleData;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Backup and Restore names may be 253 characters long, label values only 63: a real API server refuses a Job or a
 * Backup whose label holds a longer name. The mock API server does not check, so this scenario checks every label the
 * operator wrote.
 */
class LongNamesTest {
    static final String NS = "long-names";
    static final String BUCKET = "db-backups";
    static final String DB = "orders_long";
    static final Duration TIMEOUT = Duration.ofSeconds(120);
    /** Kubernetes' label value syntax (k8s.io/apimachinery validation.IsValidLabelValue), at most 63 characters. */
    static final Pattern LABEL_VALUE = Pattern.compile("(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?");

    static BacktrackEnvironment env;

    @BeforeAll
    static void environment() {
        env = BacktrackEnvironment.shared();
        env.prepare(NS, BUCKET, null);
    }

    @Test
    void aBackupAndARestoreWith200CharacterNamesCompleteAndEveryLabelFits() {
        env.postgres().createDatabase(DB);
        SampleData.load(env.postgres(), DB);
        DatabaseFingerprint atBackup = DatabaseFingerprint.of(env.postgres(), DB);
        String backupName = name("orders-backup-", 200);
        String restoreName = name("orders-restore-", 200);

        env.client().resource(BackupFactory.of(env, DB, BUCKET).build(NS, backupName)).create();
        Backup backup = env.awaitBackup(NS, backupName, b -> b.getStatus() != null && b.getStatus().phase() != null
                && b.getStatus().phase().isTerminal(), TIMEOUT);
        assertThat(backup.getStatus().phase()).as("%s", backup.getStatus()).isEqualTo(BackupPhase.Completed);

        env.postgres().execute(DB, "UPDATE public.customers SET name = 'changed' WHERE id = 1");
        env.client().resource(new DeploymentBuilder()
                .withNewMetadata().withName("long-api").withNamespace(NS).endMetadata()
                .withNewSpec().withReplicas(2)
                .withNewSelector().addToMatchLabels("app", "long-api").endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", "long-api").endMetadata()
                .withNewSpec().addNewContainer().withName("app").withImage("example/app:1").endContainer().endSpec()
                .endTemplate().endSpec().build()).create();
        env.client().resource(RestoreFactory.ofBackup(backupName).quiesceDeployments("long-api").build(NS, restoreName)).create();
        Restore restore = env.awaitRestore(NS, restoreName, r -> r.getStatus() != null && r.getStatus().phase() != null
                && r.getStatus().phase().isTerminal(), TIMEOUT);
        assertThat(restore.getStatus().phase()).as("%s", restore.getStatus()).isEqualTo(RestorePhase.Completed);
        assertThat(DatabaseFingerprint.of(env.postgres(), DB)).isEqualTo(atBackup);
        assertThat(env.backup(NS, restore.getStatus().safetyBackupName()).getStatus().phase()).isEqualTo(BackupPhase.Completed);

        List<HasMetadata> created = new ArrayList<>();
        List<Job> jobs = env.client().batch().v1().jobs().inNamespace(NS).list().getItems();
        assertThat(jobs).as("the backup, safety backup and three restore step Jobs").hasSizeGreaterThanOrEqualTo(5);
        created.addAll(jobs);
        created.addAll(env.client().pods().inNamespace(NS).list().getItems());
        created.addAll(env.client().resources(Backup.class).inNamespace(NS).list().getItems());
        created.addAll(env.client().resources(Restore.class).inNamespace(NS).list().getItems());
        created.addAll(env.client().apps().deployments().inNamespace(NS).list().getItems());
        for (HasMetadata o : created) {
            assertValidLabels(o.getKind() + " " + o.getMetadata().getName(), o.getMetadata().getLabels());
        }
        for (Job job : jobs) {
            assertValidLabels("Pod template of Job " + job.getMetadata().getName(),
                    job.getSpec().getTemplate().getMetadata().getLabels());
            assertThat(job.getMetadata().getName()).hasSizeLessThanOrEqualTo(63);
        }
        assertThat(jobs).as("Jobs labelled with their Backup or Restore")
                .allMatch(j -> j.getMetadata().getLabels().containsKey(BacktrackApi.BACKUP_LABEL)
                        || j.getMetadata().getLabels().containsKey(BacktrackApi.RESTORE_LABEL));
    }

    private static void assertValidLabels(String what, Map<String, String> labels) {
        if (labels == null) {
            return;
        }
        labels.forEach((key, value) -> {
            assertThat(value).as("label %s of %s", key, what).hasSizeLessThanOrEqualTo(63).matches(LABEL_VALUE);
        });
    }

    /** A valid resource name of exactly {@code length} characters. */
    private static String name(String prefix, int length) {
        StringBuilder b = new StringBuilder(prefix);
        for (int i = 0; b.length() < length; i++) {
            b.append((char) ('a' + i % 26));
        }
        return b.toString();
    }
}

package io.backtrack.e2e.backup;

import io.backtrack.api.backup.Backup;
import io.backtrack.api.backup.BackupPhase;
import io.backtrack.api.backup.DeletionPolicy;
import io.backtrack.e2e.harness.BackupFactory;
import io.backtrack.e2e.harness.BacktrackEnvironment;
import io.fabric8.kubernetes.api.model.Event;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Deleting a namespace never deletes archives, whatever the Backups' deletionPolicy: the namespace's Backups go, their
 * archives stay in the bucket, and a Warning Event (in the operator's namespace: the deleted one accepts none) and a
 * metric name each one kept.
 */
class NamespaceDeletionTest {
    static final String NS = "teardown";
    static final String DB = "shop";
    static final String BUCKET = "teardown-backups";
    static final Duration TIMEOUT = Duration.ofSeconds(90);

    static BacktrackEnvironment env;

    @BeforeAll
    static void environment() {
        env = BacktrackEnvironment.shared();
        env.prepare(NS, BUCKET, DB);
    }

    @Test
    void theArchivesOfADeletedNamespaceAreKeptAndReported() {
        env.client().resource(BackupFactory.of(env, DB, BUCKET).withDeletionPolicy(DeletionPolicy.Delete).build(NS, "doomed")).create();
        Backup done = env.awaitBackup(NS, "doomed", b -> b.getStatus() != null && b.getStatus().phase() != null
                && b.getStatus().phase().isTerminal(), TIMEOUT);
        assertThat(done.getStatus().phase()).as("%s", done.getStatus()).isEqualTo(BackupPhase.Completed);
        var archive = done.getStatus().archive();

        env.client().namespaces().withName(NS).delete();
        if (env.client().namespaces().withName(NS).get() == null) {
            // No namespace lifecycle here (the mock API server): delete its Backups as the namespace controller would.
            env.client().resources(Backup.class).inNamespace(NS).delete();
        }
        env.await("the Backups of the deleted namespace gone", () -> env.backup(NS, "doomed") == null, TIMEOUT);

        assertThat(env.s3().listKeys(BUCKET, archive.key() + "/")).contains(archive.manifestKey(), archive.archiveKey());
        env.await("a Warning Event naming the kept archive", () -> !keptEvents().isEmpty(), TIMEOUT);
        Event event = keptEvents().get(0);
        assertThat(event.getType()).isEqualTo("Warning");
        assertThat(event.getInvolvedObject().getKind()).isEqualTo("Backup");
        assertThat(event.getInvolvedObject().getNamespace()).isEqualTo(NS);
        assertThat(event.getMessage()).contains("s3://" + BUCKET + "/" + archive.key()).contains("deletionPolicy Delete");
        String metrics = env.operator().get("/q/metrics").body();
        assertThat(metrics).as("metrics").containsPattern(Pattern.compile(
                "(?m)^backtrack_archives_kept_on_namespace_deletion_total\\{[^}]*namespace=\"" + NS + "\"[^}]*} 1\\.0$"));
    }

    private static List<Event> keptEvents() {
        return env.client().v1().events().inAnyNamespace().list().getItems().stream()
                .filter(e -> "ArchiveKept".equals(e.getReason()) && e.getInvolvedObject() != null
                        && "doomed".equals(e.getInvolvedObject().getName()))
                .toList();
    }
}

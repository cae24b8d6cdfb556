package io.backtrack.controller.backup;

import io.backtrack.api.backup.Backup;
import io.backtrack.api.backup.BackupPhase;
import io.backtrack.api.backup.BackupSpec;
import io.backtrack.api.backup.BackupStatus;
import io.backtrack.api.backup.DeletionPolicy;
import io.backtrack.controller.job.JobOutcome;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

class ArchiveFateTest {

    @Test
    void namespaceTeardownNeverDeletesAnArchive() {
        assertThat(ArchiveFate.of(backup(DeletionPolicy.Delete, "job-1"), Optional.empty(), () -> true))
                .isEqualTo(ArchiveFate.KEPT_NAMESPACE_DELETED);
        assertThat(ArchiveFate.of(backup(DeletionPolicy.Delete, "job-1"), Optional.empty(), () -> false))
                .isEqualTo(ArchiveFate.DELETE);
    }

    @Test
    void retainOrNothingWrittenDeletesNothingAndDoesNotAskAboutTheNamespace() {
        assertThat(ArchiveFate.of(backup(DeletionPolicy.Retain, "job-1"), Optional.empty(), () -> fail("asked")))
                .isEqualTo(ArchiveFate.NOTHING_TO_DELETE);
        assertThat(ArchiveFate.of(backup(DeletionPolicy.Delete, null), Optional.empty(), () -> fail("asked")))
                .isEqualTo(ArchiveFate.NOTHING_TO_DELETE);
    }

    @Test
    void aDiscoveredBackupsArchiveIsNeverDeletedWhateverItsSpecSays() {
        Backup b = backup(DeletionPolicy.Delete, "job-1");
        BackupSpec s = b.getSpec();
        b.setSpec(new BackupSpec(s.description(), null, null, new io.backtrack.api.storage.StorageRef("old-cluster"),
                null, null, DeletionPolicy.Delete, null, null, null, null, io.backtrack.api.backup.BackupOrigin.Discovered));
        assertThat(ArchiveFate.of(b, Optional.empty(), () -> fail("asked"))).isEqualTo(ArchiveFate.NOTHING_TO_DELETE);
    }

    @Test
    void aCleanupAlreadyStartedIsFollowedToItsEnd() {
        Backup b = backup(DeletionPolicy.Delete, "job-1");
        assertThat(ArchiveFate.of(b, Optional.of(JobOutcome.State.RUNNING), () -> true)).isEqualTo(ArchiveFate.DELETING);
        assertThat(ArchiveFate.of(b, Optional.of(JobOutcome.State.SUCCEEDED), () -> true)).isEqualTo(ArchiveFate.DELETED);
        assertThat(ArchiveFate.of(b, Optional.of(JobOutcome.State.FAILED), () -> false)).isEqualTo(ArchiveFate.NOT_DELETED);
    }

    @Test
    void aNamespaceIsGoingOnceItHasADeletionTimestampOrIsTerminatingOrGone() {
        assertThat(NamespaceLifecycle.isGoing((io.fabric8.kubernetes.api.model.Namespace) null)).isTrue();
        assertThat(NamespaceLifecycle.isGoing(new NamespaceBuilder().withNewMetadata().withName("shop").endMetadata()
                .withNewStatus().withPhase("Active").endStatus().build())).isFalse();
        assertThat(NamespaceLifecycle.isGoing(new NamespaceBuilder().withNewMetadata().withName("shop")
                .withDeletionTimestamp("2026-11-22T03:00:00Z").endMetadata().build())).isTrue();
        assertThat(NamespaceLifecycle.isGoing(new NamespaceBuilder().withNewMetadata().withName("shop").endMetadata()
                .withNewStatus().withPhase("Terminating").endStatus().build())).isTrue();
    }

    private static Backup backup(DeletionPolicy policy, String jobName) {
        BackupSpec s = TestBackups.spec(null, null, null);
        Backup b = TestBackups.backup("orders", new BackupSpec(s.description(), s.database(), s.storage(), s.storageRef(), s.compression(),
                s.scope(), policy, s.ttl(), s.job(), null));
        b.setStatus(new BackupStatus(BackupPhase.Completed, null, null, null, null, jobName, null, null, null, null, 1L, null));
        return b;
    }
}

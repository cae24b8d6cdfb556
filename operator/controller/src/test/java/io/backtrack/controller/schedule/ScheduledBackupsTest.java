package io.backtrack.controller.schedule;

import io.backtrack.api.BacktrackApi;
import io.backtrack.api.backup.Backup;
import io.backtrack.api.backup.DeletionPolicy;
import io.backtrack.controller.naming.LabelValues;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class ScheduledBackupsTest {
    static final Instant DUE = Instant.parse("2026-11-22T01:00:00Z");

    @Test
    void aRunIsABackupLinkedToItsScheduleByLabelOnlyWithTheTemplatesMetadata() {
        Backup b = ScheduledBackups.forRun(TestSchedules.schedule(), DUE);
        assertThat(b.getMetadata().getName()).isEqualTo("orders-nightly-20261122-010000");
        assertThat(b.getMetadata().getNamespace()).isEqualTo("shop");
        assertThat(b.getMetadata().getLabels()).containsOnly(
                org.assertj.core.api.Assertions.entry("team", "orders"),
                org.assertj.core.api.Assertions.entry(BacktrackApi.SCHEDULE_LABEL, "orders-nightly"),
                org.assertj.core.api.Assertions.entry(BacktrackApi.MANAGED_BY_LABEL, "backtrack"));
        assertThat(b.getMetadata().getAnnotations()).containsEntry("note", "nightly")
                .containsEntry(BacktrackApi.SCHEDULED_AT_ANNOTATION, "2026-11-22T01:00:00Z")
                .doesNotContainKey("argocd.argoproj.io/tracking-id");
        assertThat(b.getMetadata().getOwnerReferences())
                .as("no owner: deleting or renaming the schedule must never garbage-collect its Backups").isNullOrEmpty();
        assertThat(b.getMetadata().getFinalizers()).containsExactly(BacktrackApi.BACKUP_FINALIZER);
    }

    @Test
    void aLongScheduleNameIsShortenedInTheLabelAndKeptInFullInTheAnnotation() {
        var s = TestSchedules.schedule();
        String name = "orders-nightly-" + "n".repeat(200);
        s.getMetadata().setName(name);
        Backup b = ScheduledBackups.forRun(s, DUE);
        assertThat(b.getMetadata().getName()).hasSizeLessThanOrEqualTo(63);
        assertThat(b.getMetadata().getLabels()).containsEntry(BacktrackApi.SCHEDULE_LABEL, LabelValues.of(name));
        assertThat(LabelValues.isValid(b.getMetadata().getLabels().get(BacktrackApi.SCHEDULE_LABEL))).isTrue();
        assertThat(b.getMetadata().getAnnotations()).containsEntry(BacktrackApi.SCHEDULE_LABEL, name);
        assertThat(LabelValues.names(b, BacktrackApi.SCHEDULE_LABEL, name)).isTrue();
    }

    @Test
    void deletionPolicyIsDeleteUnlessTheTemplateSaysOtherwise() {
        assertThat(ScheduledBackups.forRun(TestSchedules.schedule(), DUE).getSpec().deletionPolicy()).isEqualTo(DeletionPolicy.Delete);
        var retain = TestSchedules.schedule("0 2 * * *", null, null, TestSchedules.backupSpec(DeletionPolicy.Retain));
        assertThat(ScheduledBackups.forRun(retain, DUE).getSpec().deletionPolicy()).isEqualTo(DeletionPolicy.Retain);
    }

    @Test
    void theTemplateCannotTakeOverTheScheduleLabel() {
        var s = TestSchedules.schedule();
        var meta = new io.backtrack.api.schedule.BackupTemplateMetadata(
                java.util.Map.of(BacktrackApi.SCHEDULE_LABEL, "someone-else"), null);
        s.setSpec(new io.backtrack.api.schedule.BackupScheduleSpec("0 2 * * *", null, null, null, null,
                new io.backtrack.api.schedule.BackupTemplate(meta, TestSchedules.backupSpec(null)), null, null, null));
        assertThat(ScheduledBackups.forRun(s, DUE).getMetadata().getLabels()).containsEntry(BacktrackApi.SCHEDULE_LABEL, "orders-nightly");
    }
}

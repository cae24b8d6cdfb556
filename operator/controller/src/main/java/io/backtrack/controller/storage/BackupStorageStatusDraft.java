package io.backtrack.controller.storage;

import io.backtrack.api.ConditionReason;
import io.backtrack.api.ConditionType;
import io.backtrack.api.storage.BackupStorage;
import io.backtrack.api.storage.BackupStorageStatus;
import io.backtrack.api.storage.SkippedFolder;
import io.backtrack.contract.result.ProbeResult;
import io.backtrack.controller.status.ByteSize;
import io.backtrack.controller.status.Conditions;
import io.backtrack.controller.status.StatusDraft;
import io.fabric8.kubernetes.api.model.Condition;

import java.time.Instant;
import java.util.List;

/**
 * A BackupStorage's status: Available (and Ready, the same for kstatus readers), what the last probe counted, and
 * what its sync imported and skipped.
 */
final class BackupStorageStatusDraft extends StatusDraft<BackupStorageStatus> {
    private String message;
    private String lastProbeTime;
    private String probeJobName;
    private Integer backups;
    private Long bytes;
    private Long observedGeneration;
    private String lastSyncTime;
    private Integer imported;
    private Integer remaining;
    private Integer skippedCount;
    private List<SkippedFolder> skipped;

    BackupStorageStatusDraft(BackupStorage storage) {
        super(storage, storage.getStatus() == null ? null : storage.getStatus().conditions());
        BackupStorageStatus s = storage.getStatus();
        if (s != null) {
            message = s.message();
            lastProbeTime = s.lastProbeTime();
            probeJobName = s.probeJobName();
            backups = s.backups();
            bytes = s.bytes();
            observedGeneration = s.observedGeneration();
            lastSyncTime = s.lastSyncTime();
            imported = s.imported();
            remaining = s.remaining();
            skippedCount = s.skippedCount();
            skipped = s.skipped();
        }
    }

    /** Backups found and not imported yet: a sync goes on at once while there are. */
    boolean syncContinues() {
        return remaining != null && remaining > 0;
    }

    Integer skippedCount() {
        return skippedCount;
    }

    /**
     * A discovery probe's findings imported: {@code created} Backups made. While it reported more than it could
     * list ({@code continues}), the sync goes on and its imports add up; once it did not, the sync is complete and
     * its skipped folders are the whole picture.
     */
    BackupStorageStatusDraft synced(ProbeResult result, int created, boolean continues, Instant now) {
        imported = (syncContinues() && imported != null ? imported : 0) + created;
        if (continues) {
            remaining = result.remaining();
            return this;
        }
        remaining = null;
        lastSyncTime = now.toString();
        skippedCount = result.skippedCount() == null ? 0 : result.skippedCount();
        skipped = result.skipped() == null || result.skipped().isEmpty() ? null : result.skipped().stream()
                .map(f -> new SkippedFolder(f.key(), f.reason())).toList();
        return this;
    }

    /** Whether Available already says exactly this. */
    boolean availableSays(boolean status, String reason, String text) {
        return Conditions.says(conditions(), ConditionType.Available, status, reason, text);
    }

    /** The Available condition as it is, or null before the first probe. */
    Condition available() {
        return Conditions.find(conditions(), ConditionType.Available);
    }

    /** A probe Job was created; the first of a generation says so until its result arrives. */
    BackupStorageStatusDraft probing(String jobName, boolean firstOfGeneration, String text, Instant now) {
        probeJobName = jobName;
        if (firstOfGeneration) {
            set(false, ConditionReason.Probing.name(), text, now);
        }
        return this;
    }

    BackupStorageStatusDraft probed(ProbeResult result, long generation, Instant now) {
        backups = result.backups();
        bytes = result.bytes();
        lastProbeTime = now.toString();
        observedGeneration = generation;
        long size = bytes == null ? 0 : bytes;
        set(true, ConditionReason.ProbeSucceeded.name(), "s3://" + result.bucket() + "/" + result.prefix()
                + " can be listed, written, read back and deleted; " + backups + " backup(s), " + ByteSize.human(size), now);
        return this;
    }

    /** The location does not work (or cannot be checked): counts of an earlier probe stay, they are still the last known. */
    BackupStorageStatusDraft unavailable(String reason, String text, Long generation, Instant now) {
        remaining = null; // a sync under way stops here; the next probe searches again
        if (generation != null) {
            lastProbeTime = now.toString();
            observedGeneration = generation;
        }
        set(false, reason, text, now);
        return this;
    }

    private void set(boolean status, String reason, String text, Instant now) {
        message = text;
        condition(ConditionType.Available, status, reason, text, now);
        condition(ConditionType.Ready, status, reason, text, now);
    }

    @Override
    public BackupStorageStatus build() {
        return new BackupStorageStatus(message, lastProbeTime, probeJobName, backups, bytes,
                bytes == null ? null : ByteSize.human(bytes), conditions(), observedGeneration, lastSyncTime, imported,
                remaining, skippedCount, skipped);
    }
}

package io.backtrack.controller.restore;

import io.backtrack.api.restore.QuiescedWorkload;
import io.backtrack.api.restore.Restore;
import io.backtrack.controller.events.EventRecorder;

import java.util.List;

/**
 * What every end of a Restore does, whether it completed, failed or was deleted while it ran: the quiesced workloads
 * go back to their recorded replica counts and the Backup's protection is lifted (or handed to another running
 * Restore of the same Backup). Safe to repeat.
 */
final class Resumption {
    private final Quiescer quiescer;
    private final BackupProtection protection;
    private final EventRecorder events;

    Resumption(Quiescer quiescer, BackupProtection protection, EventRecorder events) {
        this.quiescer = quiescer;
        this.protection = protection;
        this.events = events;
    }

    /** @param started whether the Restore got as far as protecting its Backup */
    /** @param quiesced the workloads its status records as scaled down (null: none) */
    void run(Restore restore, List<QuiescedWorkload> quiesced, boolean started) {
        String ns = restore.getMetadata().getNamespace();
        if (quiesced != null && !quiesced.isEmpty()) {
            List<String> problems = quiescer.scaleUp(ns, restore.getMetadata().getName(), quiesced);
            if (problems.isEmpty()) {
                events.normal(restore, "Resumed", "scaled " + RestoreStatusDraft.describe(quiesced) + " back");
            } else {
                events.warning(restore, "ResumeIncomplete", String.join("; ", problems));
            }
        }
        String backupName = restore.getSpec() == null ? null : restore.getSpec().backupName();
        if (started && backupName != null) {
            protection.release(ns, backupName, restore.getMetadata().getName());
        }
    }
}

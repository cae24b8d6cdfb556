package io.backtrack.controller.retention;

import io.backtrack.api.backup.Backup;
import io.backtrack.api.schedule.PrunedBackup;
import io.backtrack.api.schedule.RetentionStatus;
import io.fabric8.kubernetes.api.model.HasMetadata;

import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Runs retention for one schedule: select, prune, and say what happened in status.retention. */
public final class ScheduleRetention {
    static final int MAX_LISTED = 20;

    private final BackupPruner pruner;

    public ScheduleRetention(BackupPruner pruner) {
        this.pruner = pruner;
    }

    /**
     * @param backups  the schedule's Backups by name (the candidates' resources)
     * @param previous status.retention so far, or null
     */
    public RetentionStatus apply(HasMetadata schedule, RetentionRules rules, ZoneId zone, List<RetentionCandidate> candidates,
                                 Map<String, Backup> backups, RetentionStatus previous, Instant now) {
        RetentionPlan plan = RetentionSelector.select(rules, zone, candidates, now);
        List<PrunedBackup> pruned = new ArrayList<>();
        long freed = 0;
        String error = null;
        for (RetentionPlan.Prune p : plan.prune()) {
            RetentionCandidate c = p.candidate();
            BackupPruner.Result result = pruner.prune(backups.get(c.name()), p.reason(), schedule);
            if (result.error() != null) {
                error = result.error();
            }
            if (!result.deleted()) {
                continue;
            }
            pruned.add(new PrunedBackup(c.name(), c.key(), c.finishedAt().toString(), c.sizeBytes(), p.reason(), now.toString()));
            freed += c.sizeBytes();
        }
        List<PrunedBackup> listed = new ArrayList<>(pruned);
        if (previous != null && previous.pruned() != null) {
            previous.pruned().stream().filter(old -> pruned.stream().noneMatch(n -> n.name().equals(old.name())))
                    .forEach(listed::add);
        }
        long totalFreed = (previous == null || previous.prunedBytes() == null ? 0 : previous.prunedBytes()) + freed;
        String lastPrune = pruned.isEmpty() ? (previous == null ? null : previous.lastPruneTime()) : now.toString();
        String message = plan.message() + (pruned.isEmpty() ? "" : "; pruned " + pruned.size() + " just now");
        return new RetentionStatus(lastPrune, plan.kept().size(),
                listed.isEmpty() ? null : List.copyOf(listed.subList(0, Math.min(MAX_LISTED, listed.size()))),
                totalFreed, message, error);
    }
}

package io.backtrack.e2e.sandbox;

import io.backtrack.api.BacktrackApi;
import io.backtrack.api.backup.Backup;
import io.backtrack.api.backup.BackupPhase;
import io.backtrack.api.schedule.BackupSchedule;
import io.backtrack.api.schedule.PrunedBackup;
import io.backtrack.e2e.harness.BacktrackEnvironment;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * How the sandbox follows a BackupSchedule: its manifest's annotation {@code backtrack.io/sandbox-runs: "N"} says
 * how many runs to watch. The schedule counts as done (phase "Completed") once N runs exist or were pruned, none
 * is still running or being deleted, and retention has settled; the sandbox then suspends it so no further run
 * starts while it reports. The report checks what the retention rules promise: exactly keepLast completed
 * Backups in the cluster and as folders with a manifest in the bucket, and every other run listed as pruned.
 */
final class ScheduleProgress {
    static final String RUNS_ANNOTATION = "backtrack.io/sandbox-runs";

    private ScheduleProgress() {
    }

    static String phase(BacktrackEnvironment env, Tracked t) {
        BackupSchedule s = env.schedule(t.namespace(), t.name());
        if (s == null) {
            return "(deleted)";
        }
        int wanted = wantedRuns(s);
        if (s.getStatus() == null) {
            return "(no status)";
        }
        if (s.getStatus().nextScheduleTime() == null) {
            return "Failed";  // Ready=False: the report shows why
        }
        List<Backup> backups = env.backupsOf(t.namespace(), t.name());
        Set<String> runs = new TreeSet<>(backups.stream().map(b -> b.getMetadata().getName()).toList());
        runs.addAll(pruned(s));
        boolean settled = backups.stream().allMatch(b -> b.getMetadata().getDeletionTimestamp() == null && b.getStatus() != null
                && b.getStatus().phase() != null && b.getStatus().phase().isTerminal());
        long completed = backups.stream().filter(b -> b.getStatus() != null && b.getStatus().phase() == BackupPhase.Completed).count();
        boolean retained = s.getStatus().retention() != null && s.getStatus().retention().kept() != null
                && s.getStatus().retention().kept() == completed;
        if (runs.size() >= wanted && settled && retained) {
            if (!s.getSpec().suspended()) {
                env.client().resources(BackupSchedule.class).inNamespace(t.namespace()).withName(t.name())
                        .edit(ScheduleProgress::suspend);
                Sandbox.say("BackupSchedule " + t.namespace() + "/" + t.name() + ": " + runs.size() + " runs done; suspended it");
            }
            return "Completed";
        }
        return "Running (" + runs.size() + "/" + wanted + " runs)";
    }

    /** Prints what the schedule left behind; false when it is not what its retention promises. */
    static boolean report(BacktrackEnvironment env, Tracked t, String bucket) {
        BackupSchedule s = env.schedule(t.namespace(), t.name());
        if (s == null || s.getSpec().retention() == null || s.getSpec().retention().keepLast() == null) {
            return true;
        }
        int keepLast = s.getSpec().retention().keepLast();
        List<String> completed = env.backupsOf(t.namespace(), t.name()).stream()
                .filter(b -> b.getStatus() != null && b.getStatus().phase() == BackupPhase.Completed)
                .map(b -> b.getMetadata().getName()).toList();
        String prefix = s.getSpec().backupTemplate().spec().storage().s3().prefix();
        String folderPrefix = (prefix == null || prefix.isBlank() ? "" : prefix.replaceAll("/+$", "") + "/") + t.namespace() + "/"
                + t.name() + "-";
        Set<String> folders = env.s3().listKeys(bucket, folderPrefix).stream()
                .filter(k -> k.endsWith("/manifest.json"))
                .map(k -> k.substring(0, k.length() - "/manifest.json".length()))
                .collect(Collectors.toCollection(LinkedHashSet::new));
        Set<String> pruned = pruned(s);
        Sandbox.say("BackupSchedule " + t.namespace() + "/" + t.name() + " (keepLast " + keepLast + "):");
        Sandbox.say("  completed Backups in the cluster: " + completed.size() + " " + completed);
        Sandbox.say("  backup folders with a manifest in s3://" + bucket + "/" + folderPrefix + "*: " + folders.size() + " " + folders);
        for (PrunedBackup p : s.getStatus().retention() == null || s.getStatus().retention().pruned() == null
                ? List.<PrunedBackup>of() : s.getStatus().retention().pruned()) {
            Sandbox.say("  pruned: " + p.name() + " (" + p.key() + ", completed " + p.completedAt() + "): " + p.reason());
        }
        boolean inCluster = completed.size() == keepLast;
        boolean inBucket = folders.size() == keepLast
                && completed.stream().allMatch(name -> folders.stream().anyMatch(f -> f.endsWith("/" + name)));
        boolean prunedGone = pruned.stream().noneMatch(name -> folders.stream().anyMatch(f -> f.endsWith("/" + name)));
        boolean ok = inCluster && inBucket && prunedGone && !pruned.isEmpty();
        Sandbox.say("  " + (ok ? "OK" : "NOT OK") + ": exactly " + keepLast + " completed backups in the cluster ("
                + inCluster + ") and in the bucket (" + inBucket + "), the pruned ones listed in status and gone from the bucket ("
                + (prunedGone && !pruned.isEmpty()) + ")");
        return ok;
    }

    private static BackupSchedule suspend(BackupSchedule s) {
        var spec = s.getSpec();
        s.setSpec(new io.backtrack.api.schedule.BackupScheduleSpec(spec.schedule(), spec.timeZone(), true, spec.concurrencyPolicy(),
                spec.startingDeadlineSeconds(), spec.backupTemplate(), spec.retention(), spec.failedBackupsHistoryLimit(),
                spec.drill()));
        return s;
    }

    private static Set<String> pruned(BackupSchedule s) {
        var retention = s.getStatus() == null ? null : s.getStatus().retention();
        if (retention == null || retention.pruned() == null) {
            return Set.of();
        }
        return retention.pruned().stream().map(PrunedBackup::name).collect(Collectors.toCollection(TreeSet::new));
    }

    private static int wantedRuns(BackupSchedule s) {
        var annotations = s.getMetadata().getAnnotations();
        String value = annotations == null ? null : annotations.get(RUNS_ANNOTATION);
        try {
            return value == null ? 1 : Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    static boolean isSchedule(Tracked t) {
        return "BackupSchedule".equals(t.kind()) && t.apiVersion().startsWith(BacktrackApi.GROUP + "/");
    }
}

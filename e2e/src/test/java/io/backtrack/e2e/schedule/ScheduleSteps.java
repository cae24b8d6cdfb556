package io.backtrack.e2e.schedule;

import io.backtrack.api.BacktrackApi;
import io.backtrack.api.backup.Backup;
import io.backtrack.api.backup.BackupPhase;
import io.backtrack.api.schedule.BackupSchedule;
import io.backtrack.e2e.harness.BacktrackEnvironment;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Objects;

/** The steps schedule scenarios share: fire the next run by moving the operator's clock, wait, look. */
final class ScheduleSteps {
    static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    private final BacktrackEnvironment env;
    private final String ns;

    ScheduleSteps(BacktrackEnvironment env, String ns) {
        this.env = env;
        this.ns = ns;
    }

    BackupSchedule apply(BackupSchedule schedule) {
        env.client().resource(schedule).create();
        return env.awaitSchedule(ns, schedule.getMetadata().getName(),
                s -> s.getStatus() != null && s.getStatus().nextScheduleTime() != null, TIMEOUT);
    }

    Instant next(String schedule) {
        BackupSchedule s = env.awaitSchedule(ns, schedule, x -> x.getStatus() != null && x.getStatus().nextScheduleTime() != null
                && Objects.equals(x.getStatus().observedGeneration(), x.getMetadata().getGeneration()), TIMEOUT);
        return Instant.parse(s.getStatus().nextScheduleTime());
    }

    /** Moves the operator's clock past the next due time and waits until the schedule has handled that run. */
    Instant fire(String schedule) {
        Instant due = next(schedule);
        env.operatorClock().advanceTo(due);
        env.awaitSchedule(ns, schedule, s -> due.toString().equals(s.getStatus().lastScheduleTime()), TIMEOUT);
        return due;
    }

    /** Fires the next run and waits until its Backup has finished. */
    Backup fireAndFinish(String schedule) {
        Instant due = fire(schedule);
        String name = runName(schedule, due);
        return env.awaitBackup(ns, name, ScheduleSteps::terminal, TIMEOUT);
    }

    static String runName(String schedule, Instant due) {
        return schedule + "-" + STAMP.format(due);
    }

    List<Backup> backups(String schedule) {
        return env.backupsOf(ns, schedule).stream().filter(b -> b.getMetadata().getDeletionTimestamp() == null).toList();
    }

    List<String> names(String schedule) {
        return backups(schedule).stream().map(b -> b.getMetadata().getName()).toList();
    }

    void awaitGone(String backup) {
        env.await("Backup " + ns + "/" + backup + " deleted", () -> env.backup(ns, backup) == null, TIMEOUT);
    }

    /** The reasons of the resource's Events, once the awaited ones are there. */
    List<String> reasons(String name, String... awaited) {
        return env.eventReasons(ns, name, awaited);
    }

    List<Event> events(String name, String reason) {
        return env.events(ns, name, reason).stream().filter(e -> reason.equals(e.getReason())).toList();
    }

    /** Deletes the schedule and every Backup it created (without waiting for the garbage collector to get to them). */
    void delete(String schedule) {
        env.client().resources(BackupSchedule.class).inNamespace(ns).withName(schedule).delete();
        env.client().resources(Backup.class).inNamespace(ns).withLabel(BacktrackApi.SCHEDULE_LABEL, schedule).delete();
    }

    static boolean terminal(Backup b) {
        return b.getStatus() != null && b.getStatus().phase() != null && b.getStatus().phase().isTerminal();
    }

    static boolean phase(Backup b, BackupPhase phase) {
        return b.getStatus() != null && b.getStatus().phase() == phase;
    }

    static Condition condition(BackupSchedule s, String type) {
        return s.getStatus() == null || s.getStatus().conditions() == null ? null
                : s.getStatus().conditions().stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
    }

    static boolean says(BackupSchedule s, String type, String status, String reason) {
        Condition c = condition(s, type);
        return c != null && status.equals(c.getStatus()) && reason.equals(c.getReason());
    }
}

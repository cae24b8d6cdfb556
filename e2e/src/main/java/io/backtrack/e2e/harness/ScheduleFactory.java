package io.backtrack.e2e.harness;

import io.backtrack.api.backup.BackupSpec;
import io.backtrack.api.schedule.BackupSchedule;
import io.backtrack.api.schedule.BackupScheduleSpec;
import io.backtrack.api.schedule.BackupTemplate;
import io.backtrack.api.schedule.BackupTemplateMetadata;
import io.backtrack.api.schedule.ConcurrencyPolicy;
import io.backtrack.api.schedule.RetentionPolicy;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;

import java.util.Map;

/**
 * BackupSchedules whose template is a {@link BackupFactory} Backup, changed one piece at a time. The schedule
 * carries the labels and annotations Argo CD and Flux put on what they manage, so scenarios can check that none
 * of them reaches the generated Backups.
 */
public record ScheduleFactory(BackupFactory backups, String cron, String timeZone, Boolean suspend, ConcurrencyPolicy policy,
                              Long startingDeadlineSeconds, RetentionPolicy retention, Integer failedHistoryLimit) {
    public static final Map<String, String> GITOPS_LABELS = Map.of(
            "app.kubernetes.io/instance", "shop-prod",
            "kustomize.toolkit.fluxcd.io/name", "shop",
            "kustomize.toolkit.fluxcd.io/namespace", "flux-system");
    public static final Map<String, String> GITOPS_ANNOTATIONS = Map.of(
            "argocd.argoproj.io/tracking-id", "shop-prod:backtrack.io/BackupSchedule:shop/nightly");

    public static ScheduleFactory of(BackupFactory backups, String cron) {
        return new ScheduleFactory(backups, cron, null, null, null, null, null, null);
    }

    public ScheduleFactory withBackups(BackupFactory b) {
        return new ScheduleFactory(b, cron, timeZone, suspend, policy, startingDeadlineSeconds, retention, failedHistoryLimit);
    }

    public ScheduleFactory withCron(String c) {
        return new ScheduleFactory(backups, c, timeZone, suspend, policy, startingDeadlineSeconds, retention, failedHistoryLimit);
    }

    public ScheduleFactory withTimeZone(String zone) {
        return new ScheduleFactory(backups, cron, zone, suspend, policy, startingDeadlineSeconds, retention, failedHistoryLimit);
    }

    public ScheduleFactory suspended(boolean s) {
        return new ScheduleFactory(backups, cron, timeZone, s, policy, startingDeadlineSeconds, retention, failedHistoryLimit);
    }

    public ScheduleFactory withPolicy(ConcurrencyPolicy p) {
        return new ScheduleFactory(backups, cron, timeZone, suspend, p, startingDeadlineSeconds, retention, failedHistoryLimit);
    }

    public ScheduleFactory withStartingDeadlineSeconds(Long seconds) {
        return new ScheduleFactory(backups, cron, timeZone, suspend, policy, seconds, retention, failedHistoryLimit);
    }

    public ScheduleFactory withRetention(RetentionPolicy r) {
        return new ScheduleFactory(backups, cron, timeZone, suspend, policy, startingDeadlineSeconds, r, failedHistoryLimit);
    }

    public ScheduleFactory withKeepLast(int n) {
        return withRetention(new RetentionPolicy(n, null, null, null, null, null, null));
    }

    public ScheduleFactory withFailedHistoryLimit(Integer limit) {
        return new ScheduleFactory(backups, cron, timeZone, suspend, policy, startingDeadlineSeconds, retention, limit);
    }

    public BackupSchedule build(String namespace, String name) {
        BackupSpec template = backups.build(namespace, name).getSpec();
        return build(namespace, name, template);
    }

    public BackupSchedule build(String namespace, String name, BackupSpec template) {
        BackupSchedule s = new BackupSchedule();
        s.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace)
                .withLabels(GITOPS_LABELS).withAnnotations(GITOPS_ANNOTATIONS).build());
        s.setSpec(new BackupScheduleSpec(cron, timeZone, suspend, policy, startingDeadlineSeconds,
                new BackupTemplate(new BackupTemplateMetadata(Map.of("team", "orders"), null), template),
                retention, failedHistoryLimit, null));
        return s;
    }
}

package io.backtrack.controller.job;

import io.backtrack.api.job.JobSettings;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.Toleration;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A resource's spec.job laid over the operator's defaults (K8up's layering: the chart's jobDefaults, then the
 * resource; a BackupSchedule's backupTemplate.spec.job is the job of every Backup it creates, so a schedule sits
 * between the two). A scalar, the node selector, the tolerations and the affinity come whole from the most specific
 * layer that sets them; annotations, labels and each of requests and limits are merged key by key, the resource's
 * key winning, so that a resource raising only limits.memory keeps the default CPU and requests a ResourceQuota asks
 * for. An empty value (a blank string, an empty map or list) counts as not set.
 *
 * @param resources               never null; empty when no layer sets any
 * @param priorityClassName       null: none
 * @param serviceAccountName      null: the namespace's default ServiceAccount
 * @param ttlSecondsAfterFinished null: the Job stays until its owner is deleted
 */
public record EffectiveJobSettings(long activeDeadlineSeconds, int backoffLimit, ResourceRequirements resources,
                                   Map<String, String> nodeSelector, List<Toleration> tolerations, Affinity affinity,
                                   String priorityClassName, String serviceAccountName,
                                   Map<String, String> podAnnotations, Map<String, String> podLabels,
                                   Integer ttlSecondsAfterFinished) {

    /** What a Job gets when neither the chart nor the resource says (the chart's own defaults are the same). */
    public static final long DEFAULT_ACTIVE_DEADLINE_SECONDS = 3600;
    public static final int DEFAULT_BACKOFF_LIMIT = 2;

    public static EffectiveJobSettings of(JobSettings spec, JobSettings defaults) {
        JobSettings s = spec == null ? JobSettings.NONE : spec;
        JobSettings d = defaults == null ? JobSettings.NONE : defaults;
        return new EffectiveJobSettings(
                first(s.activeDeadlineSeconds(), d.activeDeadlineSeconds(), DEFAULT_ACTIVE_DEADLINE_SECONDS),
                first(s.backoffLimit(), d.backoffLimit(), DEFAULT_BACKOFF_LIMIT),
                resources(d.resources(), s.resources()),
                Map.copyOf(isEmpty(s.nodeSelector()) ? orEmpty(d.nodeSelector()) : s.nodeSelector()),
                List.copyOf(s.tolerations() == null || s.tolerations().isEmpty()
                        ? (d.tolerations() == null ? List.of() : d.tolerations()) : s.tolerations()),
                isEmpty(s.affinity()) ? (isEmpty(d.affinity()) ? null : d.affinity()) : s.affinity(),
                text(s.priorityClassName(), d.priorityClassName()),
                text(s.serviceAccountName(), d.serviceAccountName()),
                merge(d.podAnnotations(), s.podAnnotations()),
                merge(d.podLabels(), s.podLabels()),
                s.ttlSecondsAfterFinished() != null ? s.ttlSecondsAfterFinished() : d.ttlSecondsAfterFinished());
    }

    /** The memory limit of the agent container, for a message about an out-of-memory kill; null when none. */
    public static String memoryLimit(ResourceRequirements resources) {
        Quantity limit = resources == null || resources.getLimits() == null ? null : resources.getLimits().get("memory");
        return limit == null ? null : limit.toString();
    }

    private static ResourceRequirements resources(ResourceRequirements defaults, ResourceRequirements own) {
        ResourceRequirements d = defaults == null ? new ResourceRequirements() : defaults;
        ResourceRequirements o = own == null ? new ResourceRequirements() : own;
        Map<String, Quantity> requests = merge(d.getRequests(), o.getRequests());
        Map<String, Quantity> limits = merge(d.getLimits(), o.getLimits());
        return new ResourceRequirementsBuilder()
                .withRequests(requests.isEmpty() ? null : requests)
                .withLimits(limits.isEmpty() ? null : limits)
                .withClaims(o.getClaims() == null || o.getClaims().isEmpty() ? d.getClaims() : o.getClaims())
                .build();
    }

    private static <V> Map<String, V> merge(Map<String, V> defaults, Map<String, V> own) {
        Map<String, V> merged = new LinkedHashMap<>(orEmpty(defaults));
        merged.putAll(orEmpty(own));
        return Map.copyOf(merged);
    }

    private static <T extends Number> T first(T own, T defaults, T builtIn) {
        return own != null ? own : defaults != null ? defaults : builtIn;
    }

    private static String text(String own, String defaults) {
        return own != null && !own.isBlank() ? own : defaults != null && !defaults.isBlank() ? defaults : null;
    }

    private static <V> Map<String, V> orEmpty(Map<String, V> map) {
        return map == null ? Map.of() : map;
    }

    private static boolean isEmpty(Map<?, ?> map) {
        return map == null || map.isEmpty();
    }

    private static boolean isEmpty(Affinity affinity) {
        return affinity == null || (affinity.getNodeAffinity() == null && affinity.getPodAffinity() == null
                && affinity.getPodAntiAffinity() == null);
    }
}

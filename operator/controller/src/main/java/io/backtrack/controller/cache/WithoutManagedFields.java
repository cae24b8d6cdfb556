package io.backtrack.controller.cache;

import io.backtrack.api.backup.Backup;
import io.backtrack.api.restore.Restore;
import io.backtrack.api.schedule.BackupSchedule;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.processing.event.source.informer.TransformingItemStore;

import java.util.List;
import java.util.function.Function;

/**
 * An informer cache that keeps each resource without {@code metadata.managedFields}. A real API server records every
 * field manager's fields there (server-side apply: the GitOps tool or kubectl, the operator's finalizer and status);
 * parsed, that is several times the rest of a Backup, and nothing in the operator reads it. Without it the operator's
 * memory at 10,000 Backups stays under its limit (docs/performance.md, operator at scale). Writes are unaffected:
 * server-side apply and patches never send managedFields, and the API server keeps its own. Its empty maps and lists
 * are shared ({@link SharedEmpties}).
 *
 * <p>One subclass per resource type: the Java Operator SDK's {@code @Informer(itemStore = ...)} names a class.
 */
public class WithoutManagedFields<R extends HasMetadata> extends TransformingItemStore<R> {

    protected WithoutManagedFields(Function<R, List<Condition>> conditions) {
        super(resource -> prune(resource, conditions));
    }

    static <R extends HasMetadata> R prune(R resource, Function<R, List<Condition>> conditions) {
        if (resource.getMetadata() != null) {
            resource.getMetadata().setManagedFields(null);
            SharedEmpties.metadata(resource.getMetadata());
        }
        SharedEmpties.conditions(conditions.apply(resource));
        return resource;
    }

    public static final class Backups extends WithoutManagedFields<Backup> {
        public Backups() {
            super(b -> b.getStatus() == null ? null : b.getStatus().conditions());
        }
    }

    public static final class Restores extends WithoutManagedFields<Restore> {
        public Restores() {
            super(r -> r.getStatus() == null ? null : r.getStatus().conditions());
        }
    }

    public static final class Schedules extends WithoutManagedFields<BackupSchedule> {
        public Schedules() {
            super(s -> s.getStatus() == null ? null : s.getStatus().conditions());
        }
    }
}

package io.backtrack.controller.cache;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ObjectMeta;

import java.util.List;
import java.util.Map;

/**
 * One immutable empty map or list in place of each empty one a cached object was read with: fabric8's model objects
 * are each created with a map of their own for unknown fields, and an ObjectMeta with its own labels, annotations,
 * finalizers and owner references, nearly all empty. With 10,000 Backups and their Jobs and Pods in the informer
 * caches that was several megabytes of the heap (docs/performance.md, operator at scale).
 *
 * <p>Only what an informer cache keeps passes through here. Nothing writes to those objects: reconcilers receive
 * copies of their primary resources, and edits go through the client's copies; a write that did reach a cached object
 * would now fail instead of changing the cache behind the API server's back.
 */
public final class SharedEmpties {
    private SharedEmpties() {
    }

    public static <K, V> Map<K, V> map(Map<K, V> map) {
        return map != null && map.isEmpty() ? Map.of() : map;
    }

    public static <T> List<T> list(List<T> list) {
        return list != null && list.isEmpty() ? List.of() : list;
    }

    public static ObjectMeta metadata(ObjectMeta metadata) {
        if (metadata != null) {
            metadata.setAdditionalProperties(map(metadata.getAdditionalProperties()));
            metadata.setLabels(map(metadata.getLabels()));
            metadata.setAnnotations(map(metadata.getAnnotations()));
            metadata.setFinalizers(list(metadata.getFinalizers()));
            metadata.setManagedFields(list(metadata.getManagedFields()));
            metadata.setOwnerReferences(list(metadata.getOwnerReferences()));
            if (metadata.getOwnerReferences() != null) {
                metadata.getOwnerReferences().forEach(o -> o.setAdditionalProperties(map(o.getAdditionalProperties())));
            }
        }
        return metadata;
    }

    public static void conditions(List<Condition> conditions) {
        if (conditions != null) {
            conditions.forEach(c -> c.setAdditionalProperties(map(c.getAdditionalProperties())));
        }
    }
}

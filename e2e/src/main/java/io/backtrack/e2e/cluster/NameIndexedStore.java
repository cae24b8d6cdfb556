package io.backtrack.e2e.cluster;

import io.fabric8.mockwebserver.crud.Attribute;
import io.fabric8.mockwebserver.crud.AttributeSet;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The mock API server's object store (Fabric8's CRUD dispatcher keeps objects in a map from their attributes to
 * their JSON) with an index by resource, namespace and name beside it, so that reading or writing one object by its
 * name costs the same whatever the store holds, as it does on a real API server. Fabric8's dispatcher finds an object
 * by scanning every stored one: one GET took about 14 ms with 10,000 objects stored, 1.5 ms with none.
 *
 * <p>The dispatcher uses it as {@code Collections.synchronizedMap(store)}: call {@link #find} holding that map's lock.
 */
final class NameIndexedStore extends LinkedHashMap<AttributeSet, String> {
    private static final String PLURAL = "plural";
    private static final String NAMESPACE = "namespace";
    private static final String NAME = "name";

    private final Map<String, List<AttributeSet>> byName = new HashMap<>();

    @Override
    public String put(AttributeSet key, String value) {
        String previous = super.put(key, value);
        String name = indexKey(key);
        if (name != null && previous == null) {
            byName.computeIfAbsent(name, k -> new ArrayList<>(1)).add(key);
        }
        return previous;
    }

    @Override
    public String remove(Object key) {
        String previous = super.remove(key);
        if (previous != null && key instanceof AttributeSet attributes) {
            String name = indexKey(attributes);
            List<AttributeSet> same = name == null ? null : byName.get(name);
            if (same != null) {
                same.remove(attributes);
                if (same.isEmpty()) {
                    byName.remove(name);
                }
            }
        }
        return previous;
    }

    @Override
    public void clear() {
        super.clear();
        byName.clear();
    }

    /** Whether {@link #find} can answer the query: it names one namespaced object by resource and name. */
    static boolean answers(AttributeSet query) {
        return indexKey(query) != null;
    }

    /** The stored object the query selects, as the dispatcher's scan would find it, or null. */
    Map.Entry<AttributeSet, String> find(AttributeSet query) {
        for (AttributeSet candidate : byName.getOrDefault(indexKey(query), List.of())) {
            if (candidate.matches(query)) {
                return Map.entry(candidate, get(candidate));
            }
        }
        return null;
    }

    private static String indexKey(AttributeSet attributes) {
        String plural = value(attributes.getAttribute(PLURAL));
        String namespace = value(attributes.getAttribute(NAMESPACE));
        String name = value(attributes.getAttribute(NAME));
        return plural == null || namespace == null || name == null ? null : plural + "/" + namespace + "/" + name;
    }

    private static String value(Attribute attribute) {
        return attribute == null || attribute.getValues().size() != 1 ? null : attribute.getValues().get(0).toString();
    }
}

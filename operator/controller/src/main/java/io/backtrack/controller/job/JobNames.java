package io.backtrack.controller.job;

import io.backtrack.controller.naming.Digests;

/**
 * Deterministic Job names: the owner's name, truncated to fit Kubernetes' 63-character limit, plus a short
 * hash of namespace, owner and role. Re-running a reconcile always arrives at the same name, so the API
 * server's name uniqueness is what guarantees a single Job.
 */
public final class JobNames {
    public static final int MAX_LENGTH = 63;
    private static final int HASH_LENGTH = 5;

    private JobNames() {
    }

    public static String forOwner(String namespace, String ownerName, String role) {
        String hash = shortHash(namespace + "/" + ownerName + "/" + role);
        int room = MAX_LENGTH - HASH_LENGTH - 1;
        String base = ownerName.length() > room ? ownerName.substring(0, room) : ownerName;
        base = base.replaceAll("[-.]+$", "");
        return base + "-" + hash;
    }

    public static String shortHash(String text) {
        return Digests.sha256Hex(text, HASH_LENGTH);
    }
}

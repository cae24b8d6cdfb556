package io.backtrack.api.restore;

/** A workload scaled to 0 for the restore, with the replica count it goes back to. */
public record QuiescedWorkload(String kind, String name, Integer replicas) {
}

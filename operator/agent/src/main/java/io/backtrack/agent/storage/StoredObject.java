package io.backtrack.agent.storage;

/** One object in the bucket. */
public record StoredObject(String key, long sizeBytes) {
}

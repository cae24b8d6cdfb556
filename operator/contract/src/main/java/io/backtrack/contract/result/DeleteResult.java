package io.backtrack.contract.result;

/** {@code backtrack-agent delete}: the folder is gone (manifest first); deleting it again deletes nothing. */
public record DeleteResult(String key, String bucket, Integer deletedObjects, Long freedBytes) {
}

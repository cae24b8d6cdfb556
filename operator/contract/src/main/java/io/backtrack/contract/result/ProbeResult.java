package io.backtrack.contract.result;

/**
 * {@code backtrack-agent probe}: the storage location works — the bucket was listed under the prefix, and a probe
 * object was written there, read back byte for byte and deleted — and what is under the prefix.
 *
 * @param prefix   the prefix looked under, without slashes; empty for the whole bucket
 * @param backups  completed backups under the prefix (folders holding a manifest.json)
 * @param bytes    bytes of every object in those folders (archives and manifests)
 * @param objects  every object under the prefix, backups or not
 */
public record ProbeResult(String bucket, String prefix, Integer backups, Long bytes, Integer objects,
                          Double durationSeconds) {
}

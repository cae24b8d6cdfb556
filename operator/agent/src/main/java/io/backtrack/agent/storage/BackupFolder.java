package io.backtrack.agent.storage;

import io.backtrack.agent.manifest.Manifest;
import io.backtrack.agent.stream.Compression;

/**
 * A backup's folder in the bucket ({@code prod/shop/orders-nightly}) and the names of the objects in it:
 * {@code archive.pgdump.zst} (or {@code .gz}, plain {@code .pgdump}) and {@code manifest.json}.
 */
public record BackupFolder(String key) {
    public BackupFolder {
        key = normalize(key);
        if (key.isEmpty()) {
            throw new IllegalArgumentException("--key must name a folder, e.g. prod/shop/orders-20261122");
        }
    }

    /** Leading and trailing slashes are dropped: {@code /a/b/} and {@code a/b} are the same folder. */
    static String normalize(String key) {
        String k = key == null ? "" : key.trim();
        while (k.startsWith("/")) {
            k = k.substring(1);
        }
        while (k.endsWith("/")) {
            k = k.substring(0, k.length() - 1);
        }
        return k;
    }

    public String prefix() {
        return key + "/";
    }

    public String manifestKey() {
        return prefix() + Manifest.FILE_NAME;
    }

    public String archiveKey(Compression compression) {
        return prefix() + "archive" + compression.extension();
    }

    /** The compression of an archive, from its key's suffix (manifests name their archive). */
    public static Compression compressionOf(String archiveKey) {
        if (archiveKey.endsWith(Compression.ZSTD.extension())) {
            return Compression.ZSTD;
        }
        if (archiveKey.endsWith(Compression.GZIP.extension())) {
            return Compression.GZIP;
        }
        return Compression.NONE;
    }
}

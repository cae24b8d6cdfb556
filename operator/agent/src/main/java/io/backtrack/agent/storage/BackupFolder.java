package io.backtrack.agent.storage;

import io.backtrack.agent.manifest.Manifest;
import io.backtrack.agent.stream.Compression;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A backup's folder in the bucket ({@code prod/shop/orders-nightly}) and the names of the objects in it: the
 * archive, {@code archive-<UTC time>-<random>.pgdump.zst} (or {@code .gz}, plain {@code .pgdump}), and
 * {@code manifest.json}, which names the archive. Each attempt writes an archive of its own name, so two attempts
 * never write the same object: the manifest, written last and only if there is none yet, decides which one the
 * backup is.
 */
public record BackupFolder(String key) {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);
    private static final String ARCHIVE = "archive";

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

    /** A new archive name for one attempt: {@code <folder>/archive-20261122T020000Z-1a2b3c4d.pgdump.zst}. */
    public String newArchiveKey(Compression compression, Instant now) {
        byte[] random = new byte[4];
        ThreadLocalRandom.current().nextBytes(random);
        return prefix() + ARCHIVE + "-" + STAMP.format(now) + "-" + HexFormat.of().formatHex(random)
                + compression.extension();
    }

    /** True for an archive object directly in this folder, of any attempt (and the older fixed name). */
    public boolean holdsArchive(String objectKey) {
        if (!objectKey.startsWith(prefix() + ARCHIVE) || objectKey.indexOf('/', prefix().length()) >= 0) {
            return false;
        }
        for (Compression c : Compression.values()) {
            if (objectKey.endsWith(c.extension())) {
                return true;
            }
        }
        return false;
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

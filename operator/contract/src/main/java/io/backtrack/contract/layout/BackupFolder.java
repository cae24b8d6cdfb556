package io.backtrack.contract.layout;

import io.backtrack.contract.wire.ArchiveCompression;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A backup's folder in the bucket and the names of the objects in it. The operator names a Backup's folder
 * {@code <prefix>/<namespace>/<name>} ({@link #of}) and passes it as {@code --key}; the agent writes into it an
 * archive of its own name per attempt, {@code archive-<UTC time>-<8 hex>.pgdump.zst} (or {@code .gz}, plain
 * {@code .pgdump}; encrypted with age: {@code .pgdump.zst.age}), so two attempts never write the same object, and
 * {@code manifest.json} last, which names the archive: the manifest, written only if there is none yet, decides which attempt the backup is. A folder without a
 * manifest is never a backup.
 *
 * @param key the folder, without leading or trailing slashes: {@code prod/shop/orders-nightly}
 */
public record BackupFolder(String key) {
    /** The manifest's file name in every backup folder. */
    public static final String MANIFEST = "manifest.json";
    private static final String ARCHIVE = "archive";
    private static final String ROLES = "roles";
    private static final String ROLES_EXTENSION = ".sql";
    private static final int FINGERPRINT_HEX = 12;
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    /** Leading and trailing slashes (and spaces) are dropped: {@code /a/b/} and {@code a/b} are the same folder. */
    public BackupFolder {
        key = trimSlashes(key == null ? "" : key.trim());
        if (key.isEmpty()) {
            throw new IllegalArgumentException("--key must name a folder, e.g. prod/shop/orders-20261122");
        }
    }

    /** The folder of a Backup resource: {@code <prefix>/<namespace>/<name>}, the prefix optional. */
    public static BackupFolder of(String prefix, String namespace, String name) {
        return new BackupFolder(Stream.of(prefix, namespace, name)
                .filter(p -> p != null && !p.isBlank())
                .map(BackupFolder::trimSlashes)
                .filter(p -> !p.isEmpty())
                .collect(Collectors.joining("/")));
    }

    public String prefix() {
        return key + "/";
    }

    public String manifestKey() {
        return prefix() + MANIFEST;
    }

    /** A new archive name for one attempt: {@code <folder>/archive-20261122T020000Z-1a2b3c4d.pgdump.zst}. */
    public String newArchiveKey(ArchiveCompression compression, Instant now) {
        return newArchiveKey(compression, false, now);
    }

    /** As {@link #newArchiveKey(ArchiveCompression, Instant)}, ending in {@code .age} when encrypted. */
    public String newArchiveKey(ArchiveCompression compression, boolean encrypted, Instant now) {
        byte[] random = new byte[4];
        ThreadLocalRandom.current().nextBytes(random);
        return prefix() + ARCHIVE + "-" + STAMP.format(now) + "-" + HexFormat.of().formatHex(random)
                + compression.extension() + (encrypted ? ArchiveCompression.ENCRYPTED_SUFFIX : "");
    }

    /**
     * The roles file of the attempt that writes {@code archiveKey}, named like it:
     * {@code <folder>/roles-20261122T020000Z-1a2b3c4d.sql}, so two attempts never write the same one either. The
     * roles file of an encrypted archive is encrypted too ({@code .sql.age}): it may hold password hashes.
     */
    public String rolesKeyOf(String archiveKey) {
        String name = archiveKey.substring(archiveKey.lastIndexOf('/') + 1);
        String attempt = name.startsWith(ARCHIVE) ? name.substring(ARCHIVE.length()) : "-" + name;
        int extension = attempt.indexOf(".pgdump");
        attempt = extension < 0 ? ArchiveCompression.withoutEncryptedSuffix(attempt) : attempt.substring(0, extension);
        return prefix() + ROLES + attempt + ROLES_EXTENSION
                + (ArchiveCompression.isEncrypted(archiveKey) ? ArchiveCompression.ENCRYPTED_SUFFIX : "");
    }

    /** True for a roles file directly in this folder, of any attempt, encrypted or not. */
    public boolean holdsRoles(String objectKey) {
        return objectKey.startsWith(prefix() + ROLES)
                && ArchiveCompression.withoutEncryptedSuffix(objectKey).endsWith(ROLES_EXTENSION)
                && objectKey.indexOf('/', prefix().length()) < 0;
    }

    /** True for an archive object directly in this folder, of any attempt (and the older fixed name), encrypted or not. */
    public boolean holdsArchive(String objectKey) {
        // By key: a record's own equals is built from method handles at its first call.
        return ofArchive(objectKey).map(BackupFolder::key).filter(key::equals).isPresent();
    }

    /**
     * The folder an archive object belongs to, for an object named like an archive ({@code archive*} ending in an
     * archive's suffix, {@code .age} after it when encrypted) inside a folder; empty for any other object.
     */
    public static Optional<BackupFolder> ofArchive(String objectKey) {
        int slash = objectKey.lastIndexOf('/');
        if (slash <= 0) {
            return Optional.empty();
        }
        String name = objectKey.substring(slash + 1);
        if (!name.startsWith(ARCHIVE)) {
            return Optional.empty();
        }
        String plain = ArchiveCompression.withoutEncryptedSuffix(name);
        for (ArchiveCompression c : ArchiveCompression.values()) {
            if (plain.endsWith(c.extension())) {
                return Optional.of(new BackupFolder(objectKey.substring(0, slash)));
            }
        }
        return Optional.empty();
    }

    /**
     * A short stable fingerprint of the folder, the first 12 hex digits of the SHA-256 of its key: how the operator
     * tells a discovery probe, in a few bytes each, which folders already have a Backup (48 bits: two of ten thousand
     * folders share one with a chance below one in a million).
     */
    public String fingerprint() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, FINGERPRINT_HEX);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }

    /** The folder's last path segment: {@code orders-nightly} of {@code prod/shop/orders-nightly}. */
    public String name() {
        return key.substring(key.lastIndexOf('/') + 1);
    }

    private static String trimSlashes(String path) {
        return path.replaceAll("^/+|/+$", "");
    }
}

package io.backtrack.contract.wire;

import java.util.Locale;
import java.util.Optional;

/**
 * How an archive is compressed, with each algorithm's levels and the archive's file name suffix. pg_dump runs with
 * {@code -Z0} and the agent compresses, so the stored object is a stock {@code .zst}/{@code .gz} of a custom-format
 * dump. The Backup resource's {@code spec.compression} (the CRD's CompressionAlgorithm, same names) and the agent's
 * {@code --compression}/{@code --level} take these values; the defaults here are the only ones.
 */
public enum ArchiveCompression implements WireValue {
    // Levels of zstd: level 1 is within 1% of level 3's size on realistic dumps at half its CPU (docs/performance.md).
    ZSTD("zstd", ".pgdump.zst", ArchiveCompression.ZSTD_MIN_LEVEL, ArchiveCompression.ZSTD_MAX_LEVEL,
            ArchiveCompression.ZSTD_DEFAULT_LEVEL),
    GZIP("gzip", ".pgdump.gz", ArchiveCompression.GZIP_MIN_LEVEL, ArchiveCompression.GZIP_MAX_LEVEL,
            ArchiveCompression.GZIP_DEFAULT_LEVEL),
    /** No compression: no level. */
    NONE("none", ".pgdump", 0, 0, 0);

    public static final int ZSTD_MIN_LEVEL = 1;
    public static final int ZSTD_MAX_LEVEL = 22;
    /** The compression level of a Backup that names none (and of {@code backtrack-agent backup} without --level). */
    public static final int ZSTD_DEFAULT_LEVEL = 1;
    public static final int GZIP_MIN_LEVEL = 1;
    public static final int GZIP_MAX_LEVEL = 9;
    public static final int GZIP_DEFAULT_LEVEL = 6;
    /** {@link #wireName()} of the default algorithm, for annotations. */
    public static final String DEFAULT_VALUE = "zstd";
    public static final ArchiveCompression DEFAULT = ZSTD;
    /** The suffix of an archive encrypted with age, after its compression's: {@code .pgdump.zst.age}. */
    public static final String ENCRYPTED_SUFFIX = ".age";
    /** The encryption a manifest, a backup's result and a Backup's status record for an age-encrypted archive. */
    public static final String ENCRYPTION_AGE = "age";

    private final String wireName;
    private final String extension;
    private final int minLevel;
    private final int maxLevel;
    private final int defaultLevel;

    ArchiveCompression(String wireName, String extension, int minLevel, int maxLevel, int defaultLevel) {
        this.wireName = wireName;
        this.extension = extension;
        this.minLevel = minLevel;
        this.maxLevel = maxLevel;
        this.defaultLevel = defaultLevel;
    }

    /** As the flag and the resource spell it: {@code zstd}, {@code gzip}, {@code none}. */
    @Override
    public String wireName() {
        return wireName;
    }

    /** File name suffix of the archive, e.g. {@code .pgdump.zst}. */
    public String extension() {
        return extension;
    }

    /** Case-insensitive; throws IllegalArgumentException naming the allowed values. */
    public static ArchiveCompression parse(String value) {
        return WireValue.parse(ArchiveCompression.class, value == null ? null : value.toLowerCase(Locale.ROOT),
                "compression");
    }

    /**
     * What is wrong with asking for this level, for a sentence that begins with the name of the setting
     * ({@code --level ...}, {@code compression level ...}); empty when the level is allowed (null always is).
     */
    public Optional<String> levelProblem(Integer level) {
        if (level == null) {
            return Optional.empty();
        }
        if (this == NONE) {
            return Optional.of("level must be left out when algorithm is none");
        }
        if (level < minLevel || level > maxLevel) {
            return Optional.of("level " + level + " is out of range for " + wireName + " (" + minLevel + "-"
                    + maxLevel + ")");
        }
        return Optional.empty();
    }

    /**
     * The level the archive is written with: the requested one, else the algorithm's default; null for
     * {@code none}. Throws IllegalArgumentException with {@link #levelProblem} for a level that is not allowed.
     */
    public Integer effectiveLevel(Integer requested) {
        levelProblem(requested).ifPresent(p -> {
            throw new IllegalArgumentException(p);
        });
        if (this == NONE) {
            return null;
        }
        return requested == null ? defaultLevel : requested;
    }

    /**
     * The compression of an archive, from its key's suffix (manifests name their archive); an encrypted archive's
     * ({@code .pgdump.zst.age}) is the compression inside the encryption.
     */
    public static ArchiveCompression ofArchive(String archiveKey) {
        String plain = withoutEncryptedSuffix(archiveKey);
        for (ArchiveCompression c : values()) {
            if (c != NONE && plain.endsWith(c.extension)) {
                return c;
            }
        }
        return NONE;
    }

    /** True for the key of an archive (or roles file) encrypted with age. */
    public static boolean isEncrypted(String key) {
        return key.endsWith(ENCRYPTED_SUFFIX);
    }

    /** The key as it would be unencrypted: {@code a.pgdump.zst.age} becomes {@code a.pgdump.zst}. */
    public static String withoutEncryptedSuffix(String key) {
        return isEncrypted(key) ? key.substring(0, key.length() - ENCRYPTED_SUFFIX.length()) : key;
    }

    @Override
    public String toString() {
        return wireName;
    }
}

package io.backtrack.agent.stream;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** A SHA-256 digest plus a byte count over the same bytes: the identity of a stored archive. */
public final class Sha256 {
    private final MessageDigest digest;
    private long bytes;
    private String hex;

    public Sha256() {
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("JVM without SHA-256", e);
        }
    }

    /** The hex SHA-256 of {@code data[0, length)}. */
    public static String hex(byte[] data, int length) {
        Sha256 d = new Sha256();
        d.update(data, 0, length);
        return d.hex();
    }

    public void update(byte[] b, int off, int len) {
        if (hex != null) {
            throw new IllegalStateException("digest already computed");
        }
        digest.update(b, off, len);
        bytes += len;
    }

    public long bytes() {
        return bytes;
    }

    /** Hex digest of everything so far; computing it ends the digest (later updates are refused). */
    public synchronized String hex() {
        if (hex == null) {
            hex = HexFormat.of().formatHex(digest.digest());
        }
        return hex;
    }
}

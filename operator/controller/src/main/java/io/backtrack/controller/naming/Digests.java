package io.backtrack.controller.naming;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** The short stable hashes that keep generated names unique when they are cut to fit a limit. */
public final class Digests {
    private Digests() {
    }

    /** The first {@code length} hex digits of the SHA-256 of the text (UTF-8). */
    public static String sha256Hex(String text, int length) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, length);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }
}

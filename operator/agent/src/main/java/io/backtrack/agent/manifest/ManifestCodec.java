package io.backtrack.agent.manifest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** Reads and writes {@link Manifest} as pretty JSON (people read manifests with {@code mc cat}). */
public final class ManifestCodec {
    private ManifestCodec() {
    }

    public static byte[] toBytes(Manifest manifest) {
        try {
            return Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(manifest)
                    .concat("\n").getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot serialize manifest", e);
        }
    }

    public static Manifest fromBytes(byte[] json) throws IOException {
        Manifest manifest = Json.mapper().readValue(json, Manifest.class);
        if (manifest.formatVersion() != Manifest.FORMAT_VERSION) {
            throw new IOException("unsupported manifest formatVersion " + manifest.formatVersion());
        }
        return manifest;
    }
}

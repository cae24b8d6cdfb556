package io.backtrack.e2e.restore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.backtrack.api.backup.Backup;
import io.backtrack.e2e.s3.S3Server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** Edits of a backup's manifest.json in the bucket, for scenarios whose verification must fail. */
public final class Manifests {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Manifests() {
    }

    /** Rewrites the backup's manifest so that a table is said to have one row more than the archive holds. */
    public static void addOneRow(S3Server s3, String bucket, Backup backup, String table) {
        String key = backup.getStatus().archive().manifestKey();
        try {
            JsonNode manifest = JSON.readTree(new String(s3.readObject(bucket, key), StandardCharsets.UTF_8));
            boolean changed = false;
            for (JsonNode t : manifest.get("tables")) {
                if (t.get("name").asText().equals(table)) {
                    ((ObjectNode) t).put("rows", t.get("rows").asLong() + 1);
                    changed = true;
                }
            }
            assertThat(changed).as("manifest lists table %s: %s", table, manifest).isTrue();
            ((ObjectNode) manifest).put("rows", manifest.get("rows").asLong() + 1);
            s3.writeObject(bucket, key, JSON.writeValueAsBytes(manifest));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

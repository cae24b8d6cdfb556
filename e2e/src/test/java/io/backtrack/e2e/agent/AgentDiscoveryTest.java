package io.backtrack.e2e.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.backtrack.contract.layout.BackupFolder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * probe --discover against real backups in S3Proxy: completed backups that are not known are reported with what
 * their manifests say; a folder whose manifest is missing or unreadable, or whose archive is missing or of another
 * size, is counted and named, never reported as found; and a bucket of many backups is reported a few at a time in
 * result lines that always fit Kubernetes' 4 KiB termination message.
 */
class AgentDiscoveryTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static AgentFixture fx;

    @BeforeAll
    static void setUp() {
        fx = AgentFixture.get();
    }

    private static ObjectNode manifest(String folder) {
        try {
            return (ObjectNode) JSON.readTree(fx.s3.readObject(AgentFixture.BUCKET, folder + "/manifest.json"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A copy of a completed backup's folder under another key, its manifest changed by {@code edit}. */
    private static void copy(String from, String to, String archiveName, java.util.function.Consumer<ObjectNode> edit) {
        ObjectNode m = manifest(from);
        byte[] archive = fx.s3.readObject(AgentFixture.BUCKET, m.get("archiveKey").asText());
        m.put("archiveKey", to + "/" + archiveName);
        if (m.get("roles") instanceof ObjectNode roles && roles.hasNonNull("key")) {
            String rolesKey = roles.get("key").asText();
            String copied = to + "/" + rolesKey.substring(rolesKey.lastIndexOf('/') + 1);
            fx.s3.writeObject(AgentFixture.BUCKET, copied, fx.s3.readObject(AgentFixture.BUCKET, rolesKey));
            roles.put("key", copied);
        }
        edit.accept(m);
        fx.s3.writeObject(AgentFixture.BUCKET, to + "/" + archiveName, archive);
        fx.s3.writeObject(AgentFixture.BUCKET, to + "/manifest.json", m.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static AgentProcess.Outcome discover(String prefix, Set<String> knownFolders) {
        List<String> args = new ArrayList<>(fx.storageCommand("probe", "--prefix", prefix, "--discover"));
        if (!knownFolders.isEmpty()) {
            args.add("--known");
            args.add(String.join(",", knownFolders.stream().map(k -> new BackupFolder(k).fingerprint()).toList()));
        }
        AgentProcess.Outcome out = fx.agent(args);
        assertThat(out.exitCode()).as(out.stdout() + out.stderr()).isZero();
        return out;
    }

    private static List<String> keys(JsonNode list) {
        List<String> keys = new ArrayList<>();
        if (list != null) {
            list.forEach(n -> keys.add(n.get("key").asText()));
        }
        return keys;
    }

    @Test
    void completedBackupsAreFoundAndBrokenOrKnownFoldersNeverAre() {
        String prefix = AgentFixture.folder("discover");
        String good = fx.backupInto(prefix + "/shop/orders-1", "--namespace", "shop", "--backup-name", "orders-1",
                "--schedule", "orders-nightly", "--description", "nightly");
        String archive = fx.archiveKey(good).substring(good.length() + 1);
        // A backup killed before its manifest: only an archive.
        fx.s3.writeObject(AgentFixture.BUCKET, prefix + "/shop/killed/archive-20261122T020000Z-1a2b3c4d.pgdump.zst",
                new byte[] {1, 2, 3});
        copy(good, prefix + "/shop/garbled", archive, m -> { });
        fx.s3.writeObject(AgentFixture.BUCKET, prefix + "/shop/garbled/manifest.json",
                "{\"formatVersion\": 1, \"archiveKey\": ".getBytes(StandardCharsets.UTF_8));
        copy(good, prefix + "/shop/foreign", archive, m -> m.put("formatVersion", 7));
        copy(good, prefix + "/shop/lost", archive, m -> { });
        removeObject(prefix + "/shop/lost/" + archive);
        copy(good, prefix + "/shop/short", archive, m -> m.put("sizeBytes", m.get("sizeBytes").asLong() + 1));
        copy(good, prefix + "/shop/elsewhere", archive, m -> m.put("archiveKey", good + "/" + archive));
        copy(good, prefix + "/shop/known", archive, m -> { });
        copy(good, prefix + "/shop/roleless", archive, m -> { });
        String rolesKey = manifest(prefix + "/shop/roleless").get("roles").get("key").asText();
        removeObject(rolesKey);
        // What an encrypted backup's manifest says (the archive's bytes do not matter to discovery).
        copy(good, prefix + "/shop/sealed", archive + ".age", m -> {
            m.put("encryption", "age");
            m.putArray("recipients").add("age1qyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqs3290gq");
        });

        AgentProcess.Outcome out = discover(prefix + "/", Set.of(prefix + "/shop/known"));

        JsonNode r = out.result();
        assertThat(keys(r.get("found"))).containsExactly(prefix + "/shop/orders-1", prefix + "/shop/sealed");
        JsonNode found = r.get("found").get(0);
        JsonNode m = manifest(good);
        assertThat(found.get("archive").asText()).isEqualTo(archive);
        assertThat(found.get("sha256").asText()).isEqualTo(fx.s3.sha256Of(AgentFixture.BUCKET, good + "/" + archive))
                .isEqualTo(m.get("sha256").asText());
        assertThat(found.get("sizeBytes").asLong()).isEqualTo(m.get("sizeBytes").asLong());
        assertThat(found.get("database").asText()).isEqualTo(AgentFixture.SOURCE_DB);
        assertThat(found.get("namespace").asText()).isEqualTo("shop");
        assertThat(found.get("backup").asText()).isEqualTo("orders-1");
        assertThat(found.get("schedule").asText()).isEqualTo("orders-nightly");
        assertThat(found.get("description").asText()).isEqualTo("nightly");
        assertThat(found.get("compression").asText()).isEqualTo("zstd");
        assertThat(found.get("format").asText()).isEqualTo("custom");
        assertThat(found.get("tables").asInt()).isEqualTo(m.get("tables").size()).isPositive();
        assertThat(found.get("rows").asLong()).isEqualTo(m.get("rows").asLong()).isPositive();
        assertThat(found.get("serverVersion").asText()).isEqualTo(m.get("serverVersion").asText());
        assertThat(found.get("completedAt").asText()).isEqualTo(m.get("completedAt").asText());
        assertThat(found.has("encryption")).isFalse();
        JsonNode sealed = r.get("found").get(1);
        assertThat(sealed.get("encryption").asText()).isEqualTo("age");
        assertThat(sealed.get("recipients").get(0).asText()).startsWith("age1");

        Map<String, String> reasons = new HashMap<>();
        r.get("skipped").forEach(s -> reasons.put(s.get("key").asText(), s.get("reason").asText()));
        assertThat(reasons).containsExactlyInAnyOrderEntriesOf(Map.of(
                prefix + "/shop/killed", "NoManifest",
                prefix + "/shop/garbled", "ManifestUnreadable",
                prefix + "/shop/foreign", "ManifestUnreadable",
                prefix + "/shop/lost", "ArchiveMissing",
                prefix + "/shop/short", "ArchiveSizeMismatch",
                prefix + "/shop/elsewhere", "ArchiveMissing",
                prefix + "/shop/roleless", "ArchiveMissing"));
        assertThat(r.get("skippedCount").asInt()).isEqualTo(7);
        assertThat(r.get("remaining").asInt()).isZero();
        assertThat(r.get("backups").asInt()).as("every folder with a manifest").isEqualTo(9);

        AgentProcess.Outcome plain = fx.agent(fx.storageCommand("probe", "--prefix", prefix));
        assertThat(plain.result().has("found")).as("without --discover no manifest is read").isFalse();
        assertThat(plain.result().get("backups").asInt()).isEqualTo(9);
    }

    @Test
    void manyBackupsWithLongNamesAreReportedAFewAtATimeEachOnceInLinesThatFit() {
        String prefix = AgentFixture.folder("discover-many");
        String model = fx.backupInto(prefix + "/model/first");
        String archive = fx.archiveKey(model).substring(model.length() + 1);
        String namespace = "n".repeat(63);
        Set<String> all = new HashSet<>(Set.of(model));
        for (int i = 0; i < 24; i++) {
            String name = String.format("%03d-", i) + "b".repeat(200);
            String folder = prefix + "/" + namespace + "/" + name;
            int n = i;
            copy(model, folder, archive, m -> {
                m.put("namespace", namespace);
                m.put("backup", name);
                m.put("schedule", "s".repeat(253));
                m.put("description", "d".repeat(3000) + n);
            });
            all.add(folder);
        }

        Set<String> reported = new HashSet<>();
        int probes = 0;
        int remaining;
        do {
            AgentProcess.Outcome out = discover(prefix, reported);
            probes++;
            String line = out.stdout().strip().lines().reduce((a, b) -> b).orElseThrow();
            assertThat(line.getBytes(StandardCharsets.UTF_8).length).as(line).isLessThanOrEqualTo(4000);
            assertThat(line).doesNotContain("Truncated");
            List<String> found = keys(out.result().get("found"));
            assertThat(found).as("each reported once").isNotEmpty().noneMatch(reported::contains);
            reported.addAll(found);
            remaining = out.result().get("remaining").asInt();
            assertThat(remaining).isEqualTo(all.size() - reported.size());
            out.result().get("found").forEach(f -> assertThat(f.path("description").asText()).hasSizeLessThanOrEqualTo(200));
        } while (remaining > 0 && probes < 30);
        assertThat(reported).isEqualTo(all);
        assertThat(probes).as("several per probe").isLessThan(all.size());
    }

    private static void removeObject(String key) {
        try {
            fx.s3.client().removeObject(io.minio.RemoveObjectArgs.builder().bucket(AgentFixture.BUCKET).object(key)
                    .build());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void knownNeedsDiscover() {
        AgentProcess.Outcome out = fx.agent(fx.storageCommand("probe", "--known", "0123456789ab"));
        assertThat(out.exitCode()).isEqualTo(1);
        assertThat(out.reason()).isEqualTo("InvalidArguments");
        assertThat(Arrays.asList(out.message().split(" "))).contains("--discover");
    }
}

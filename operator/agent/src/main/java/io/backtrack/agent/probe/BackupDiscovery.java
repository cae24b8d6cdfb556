package io.backtrack.agent.probe;

import io.backtrack.agent.manifest.Manifest;
import io.backtrack.agent.manifest.ManifestCodec;
import io.backtrack.agent.storage.ObjectStore;
import io.backtrack.agent.storage.StoredObject;
import io.backtrack.contract.layout.BackupFolder;
import io.backtrack.contract.result.ProbeResult.FoundBackup;
import io.backtrack.contract.result.ProbeResult.SkippedFolder;
import io.backtrack.contract.wire.ArchiveCompression;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The completed backups under a prefix that the operator has no Backup for ({@code probe --discover}): every folder
 * whose fingerprint is not known, in key order. A folder is found only when its manifest is a Backtrack manifest and
 * the archive (and roles file) it names is in the folder with the manifest's size (what the listing says, no
 * download); any other
 * unknown folder holding a manifest or an archive is skipped with the reason, never found. Manifests are read only
 * until the result is full: the rest are counted as remaining, for the next probe.
 */
public final class BackupDiscovery {
    /** A manifest larger than this is not one the agent wrote (thousands of tables take a few hundred KiB). */
    static final long MAX_MANIFEST_BYTES = 16L * 1024 * 1024;
    static final int MAX_DESCRIPTION = 200;
    static final int MAX_RECIPIENTS = 8;
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final String MANIFEST_SUFFIX = "/" + BackupFolder.MANIFEST;

    private final ObjectStore store;
    private final Set<String> known;

    /** @param known fingerprints ({@link BackupFolder#fingerprint()}) of the folders that already have a Backup */
    public BackupDiscovery(ObjectStore store, Set<String> known) {
        this.store = store;
        this.known = Set.copyOf(known);
    }

    /** What a discovery found; {@code remaining} folders were left for the next probe. */
    public record Findings(int skippedCount, List<SkippedFolder> skipped, List<FoundBackup> found, int remaining) {
    }

    /**
     * @param objects every object under the prefix
     * @param fits    whether the probe's result with these findings fits its line
     */
    public Findings examine(List<StoredObject> objects, Predicate<Findings> fits) {
        Map<String, Long> sizes = new HashMap<>();
        Set<String> withManifest = new TreeSet<>();
        Set<String> withArchive = new TreeSet<>();
        for (StoredObject object : objects) {
            sizes.put(object.key(), object.sizeBytes());
            if (object.key().endsWith(MANIFEST_SUFFIX)) {
                withManifest.add(object.key().substring(0, object.key().length() - MANIFEST_SUFFIX.length()));
            } else {
                BackupFolder.ofArchive(object.key()).ifPresent(f -> withArchive.add(f.key()));
            }
        }
        withArchive.removeAll(withManifest);
        Tally tally = new Tally();
        for (String folder : withArchive) {
            if (!isKnown(folder)) {
                tally.skip(folder, SkippedFolder.NO_MANIFEST);
            }
        }
        List<FoundBackup> found = new ArrayList<>();
        int remaining = 0;
        for (String folder : withManifest) {
            if (folder.isEmpty() || isKnown(folder)) {
                continue;
            }
            if (remaining > 0) {
                remaining++;
                continue;
            }
            Optional<FoundBackup> backup = examine(folder, sizes, tally);
            if (backup.isEmpty()) {
                continue;
            }
            found.add(backup.get());
            if (fits.test(tally.findings(found, 0))) {
                continue;
            }
            found.remove(found.size() - 1);
            if (found.isEmpty() && !fits.test(tally.withoutNames().findings(List.of(backup.get()), 0))) {
                // Not even alone: reporting it as remaining would have the operator ask for it forever.
                tally.skip(folder, SkippedFolder.TOO_LONG);
                continue;
            }
            if (found.isEmpty()) {
                tally = tally.withoutNames();
                found.add(backup.get());
                continue;
            }
            remaining = 1;
        }
        // Folders skipped after the last found one was admitted may have named more than fits: names go first.
        Findings findings = tally.findings(found, remaining);
        while (!findings.skipped().isEmpty() && !fits.test(findings)) {
            findings = new Findings(findings.skippedCount(),
                    findings.skipped().subList(0, findings.skipped().size() - 1), found, remaining);
        }
        return findings;
    }

    private boolean isKnown(String folder) {
        return known.contains(new BackupFolder(folder).fingerprint());
    }

    /** The folder as a found backup, or empty after counting it as skipped. */
    private Optional<FoundBackup> examine(String folder, Map<String, Long> sizes, Tally tally) {
        BackupFolder f = new BackupFolder(folder);
        Long manifestSize = sizes.get(f.manifestKey());
        if (manifestSize == null || manifestSize > MAX_MANIFEST_BYTES) {
            tally.skip(folder, SkippedFolder.MANIFEST_UNREADABLE);
            return Optional.empty();
        }
        Optional<byte[]> bytes = store.readSmall(f.manifestKey());
        if (bytes.isEmpty()) {
            // Deleted since the listing (a folder is deleted manifest first): not a backup any more.
            tally.skip(folder, SkippedFolder.NO_MANIFEST);
            return Optional.empty();
        }
        Manifest manifest;
        try {
            manifest = ManifestCodec.fromBytes(bytes.get());
        } catch (IOException | RuntimeException e) {
            tally.skip(folder, SkippedFolder.MANIFEST_UNREADABLE);
            return Optional.empty();
        }
        if (!complete(manifest)) {
            tally.skip(folder, SkippedFolder.MANIFEST_UNREADABLE);
            return Optional.empty();
        }
        Long archiveSize = f.holdsArchive(manifest.archiveKey()) ? sizes.get(manifest.archiveKey()) : null;
        if (archiveSize == null) {
            tally.skip(folder, SkippedFolder.ARCHIVE_MISSING);
            return Optional.empty();
        }
        if (archiveSize != manifest.sizeBytes()) {
            tally.skip(folder, SkippedFolder.ARCHIVE_SIZE_MISMATCH);
            return Optional.empty();
        }
        // The roles file the manifest names is part of the backup too (a restore may create roles from it).
        if (manifest.roles() != null && manifest.roles().key() != null) {
            Long rolesSize = f.holdsRoles(manifest.roles().key()) ? sizes.get(manifest.roles().key()) : null;
            if (rolesSize == null || rolesSize != manifest.roles().sizeBytes()) {
                tally.skip(folder, rolesSize == null ? SkippedFolder.ARCHIVE_MISSING
                        : SkippedFolder.ARCHIVE_SIZE_MISMATCH);
                return Optional.empty();
            }
        }
        return Optional.of(found(folder, manifest));
    }

    /**
     * Whether the manifest has what a restore and a Backup's status need, within the lengths the agent writes: a
     * manifest with a 10,000-character namespace was not written by a Backtrack agent.
     */
    private static boolean complete(Manifest m) {
        return m.archiveKey() != null && m.sha256() != null && SHA256.matcher(m.sha256()).matches()
                && m.sizeBytes() >= 0 && m.rows() >= 0 && m.completedAt() != null
                && within(m.database(), 63, true) && within(m.namespace(), 63, false)
                && within(m.backup(), 253, false) && within(m.schedule(), 253, false)
                && within(m.serverVersion(), 64, false) && within(m.format(), 32, false)
                && (m.compression() == null || within(m.compression().algorithm(), 32, false))
                && within(m.encryption(), 32, false)
                && (m.recipients() == null || m.recipients().stream().allMatch(r -> within(r, 128, true)));
    }

    private static boolean within(String value, int max, boolean required) {
        return value == null ? !required : !value.isBlank() && value.length() <= max;
    }

    private static FoundBackup found(String folder, Manifest m) {
        String archive = m.archiveKey().substring(folder.length() + 1);
        // Older manifests of encrypted archives may lack the field; the archive's name still tells.
        String encryption = m.encryption() != null ? m.encryption()
                : ArchiveCompression.isEncrypted(m.archiveKey()) ? ArchiveCompression.ENCRYPTION_AGE : null;
        List<String> recipients = m.recipients() == null || m.recipients().isEmpty() ? null
                : m.recipients().stream().limit(MAX_RECIPIENTS).toList();
        String description = m.description() == null || m.description().length() <= MAX_DESCRIPTION ? m.description()
                : m.description().substring(0, MAX_DESCRIPTION - 1) + "…";
        return new FoundBackup(folder, archive, m.sha256(), m.sizeBytes(),
                m.compression() == null ? null : m.compression().algorithm(), encryption, recipients, m.format(),
                m.database(), m.namespace(), m.backup(), m.schedule(), description, m.serverVersion(),
                m.tables().size(), m.rows(), m.largeObjects(), m.startedAt() == null ? null : m.startedAt().toString(),
                m.completedAt().toString());
    }

    /** The skipped folders: all counted, the first {@link io.backtrack.contract.result.ProbeResult#MAX_SKIPPED} named. */
    private static final class Tally {
        private int count;
        private final List<SkippedFolder> named = new ArrayList<>();
        private boolean names = true;

        void skip(String folder, String reason) {
            count++;
            if (names && named.size() < io.backtrack.contract.result.ProbeResult.MAX_SKIPPED) {
                named.add(new SkippedFolder(folder, reason));
            }
        }

        /** The same count, no names: room for a found backup that fits no other way. */
        Tally withoutNames() {
            Tally t = new Tally();
            t.count = count;
            t.names = false;
            return t;
        }

        Findings findings(List<FoundBackup> found, int remaining) {
            return new Findings(count, List.copyOf(named), List.copyOf(found), remaining);
        }
    }
}

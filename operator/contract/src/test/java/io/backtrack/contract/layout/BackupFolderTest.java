package io.backtrack.contract.layout;

import io.backtrack.contract.wire.ArchiveCompression;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BackupFolderTest {

    @Test
    void aBackupsFolderIsPrefixNamespaceAndName() {
        assertThat(BackupFolder.of("prod", "shop", "orders-nightly").key()).isEqualTo("prod/shop/orders-nightly");
        assertThat(BackupFolder.of("/prod/backups/", "shop", "orders").key()).isEqualTo("prod/backups/shop/orders");
        assertThat(BackupFolder.of(null, "shop", "orders").key()).isEqualTo("shop/orders");
        assertThat(BackupFolder.of(" ", "shop", "orders").key()).isEqualTo("shop/orders");
        assertThat(BackupFolder.of("///", "shop", "orders").key()).isEqualTo("shop/orders");
    }

    @Test
    void namesTheObjectsOfAFolder() {
        BackupFolder folder = new BackupFolder("/prod/shop/orders-nightly/");
        assertThat(folder.key()).isEqualTo("prod/shop/orders-nightly");
        assertThat(folder.manifestKey()).isEqualTo("prod/shop/orders-nightly/manifest.json");
        Instant at = Instant.parse("2026-11-22T02:00:07.123Z");
        assertThat(folder.newArchiveKey(ArchiveCompression.ZSTD, at))
                .matches("prod/shop/orders-nightly/archive-20261122T020007Z-[0-9a-f]{8}\\.pgdump\\.zst");
        assertThat(folder.newArchiveKey(ArchiveCompression.GZIP, at)).endsWith(".pgdump.gz");
        assertThat(folder.newArchiveKey(ArchiveCompression.NONE, at)).matches(".*Z-[0-9a-f]{8}\\.pgdump");
    }

    @Test
    void everyAttemptGetsItsOwnArchiveName() {
        BackupFolder folder = new BackupFolder("prod/shop/orders");
        Instant at = Instant.now();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            names.add(folder.newArchiveKey(ArchiveCompression.ZSTD, at));
        }
        assertThat(names).hasSize(1000);
    }

    @Test
    void recognisesTheArchivesOfItsFolder() {
        BackupFolder folder = new BackupFolder("prod/shop/orders");
        assertThat(folder.holdsArchive(folder.newArchiveKey(ArchiveCompression.GZIP, Instant.now()))).isTrue();
        assertThat(folder.holdsArchive("prod/shop/orders/archive.pgdump.zst")).isTrue();
        assertThat(folder.holdsArchive("prod/shop/orders/manifest.json")).isFalse();
        assertThat(folder.holdsArchive("prod/shop/orders/sub/archive-x.pgdump.zst")).isFalse();
        assertThat(folder.holdsArchive("prod/shop/orders-2/archive-x.pgdump.zst")).isFalse();
    }

    @Test
    void eachAttemptsRolesFileIsNamedLikeItsArchiveAndIsRecognised() {
        BackupFolder folder = new BackupFolder("prod/shop/orders");
        assertThat(folder.rolesKeyOf("prod/shop/orders/archive-20261122T020000Z-1a2b3c4d.pgdump.zst"))
                .isEqualTo("prod/shop/orders/roles-20261122T020000Z-1a2b3c4d.sql");
        assertThat(folder.rolesKeyOf("prod/shop/orders/archive-20261122T020000Z-1a2b3c4d.pgdump"))
                .isEqualTo("prod/shop/orders/roles-20261122T020000Z-1a2b3c4d.sql");
        assertThat(folder.rolesKeyOf("prod/shop/orders/archive.pgdump.gz")).isEqualTo("prod/shop/orders/roles.sql");
        String archive = folder.newArchiveKey(ArchiveCompression.ZSTD, Instant.now());
        assertThat(folder.holdsRoles(folder.rolesKeyOf(archive))).isTrue();
        assertThat(folder.holdsRoles(archive)).isFalse();
        assertThat(folder.holdsRoles("prod/shop/orders/sub/roles-x.sql")).isFalse();
        assertThat(folder.holdsRoles("prod/shop/orders/manifest.json")).isFalse();
    }

    @Test
    void anEncryptedArchiveAndItsRolesFileAreOfTheirFolderWithTheCompressionInside() {
        BackupFolder folder = new BackupFolder("prod/shop/orders");
        String key = folder.newArchiveKey(ArchiveCompression.ZSTD, true, Instant.parse("2026-11-22T02:00:07Z"));
        assertThat(key).matches("prod/shop/orders/archive-20261122T020007Z-[0-9a-f]{8}\\.pgdump\\.zst\\.age");
        assertThat(ArchiveCompression.isEncrypted(key)).isTrue();
        assertThat(folder.holdsArchive(key)).isTrue();
        assertThat(ArchiveCompression.ofArchive(key)).isEqualTo(ArchiveCompression.ZSTD);
        assertThat(folder.rolesKeyOf(key)).matches("prod/shop/orders/roles-20261122T020007Z-[0-9a-f]{8}\\.sql\\.age");
        assertThat(folder.holdsRoles(folder.rolesKeyOf(key))).isTrue();
        assertThat(folder.holdsArchive(folder.rolesKeyOf(key))).isFalse();
        assertThat(folder.holdsRoles(key)).isFalse();
        assertThat(folder.newArchiveKey(ArchiveCompression.GZIP, false, Instant.now())).endsWith(".pgdump.gz");
        assertThat(ArchiveCompression.withoutEncryptedSuffix("a.pgdump.zst")).isEqualTo("a.pgdump.zst");
    }

    @Test
    void anArchiveObjectNamesItsFolderEncryptedOrNot() {
        assertThat(BackupFolder.ofArchive("prod/shop/orders/archive-20261122T020000Z-1a2b3c4d.pgdump.zst"))
                .contains(new BackupFolder("prod/shop/orders"));
        assertThat(BackupFolder.ofArchive("prod/shop/orders/archive-20261122T020000Z-1a2b3c4d.pgdump.zst.age"))
                .contains(new BackupFolder("prod/shop/orders"));
        assertThat(BackupFolder.ofArchive("prod/shop/orders/archive.pgdump")).contains(new BackupFolder("prod/shop/orders"));
        assertThat(BackupFolder.ofArchive("prod/shop/orders/manifest.json")).isEmpty();
        assertThat(BackupFolder.ofArchive("prod/shop/orders/roles-20261122T020000Z-1a2b3c4d.sql")).isEmpty();
        assertThat(BackupFolder.ofArchive("archive.pgdump.zst")).as("not inside a folder").isEmpty();
        assertThat(BackupFolder.ofArchive("prod/.backtrack-probe-1a2b")).isEmpty();
        assertThat(new BackupFolder("prod/shop/orders").holdsArchive("prod/shop/orders/archive-1.pgdump.zst.age")).isTrue();
        assertThat(new BackupFolder("prod/shop/orders").holdsArchive("prod/shop/orders/x/archive-1.pgdump.zst")).isFalse();
    }

    @Test
    void aFoldersFingerprintIsShortStableAndOfItsKeyOnly() {
        String fingerprint = new BackupFolder("prod/shop/orders").fingerprint();
        assertThat(fingerprint).matches("[0-9a-f]{12}");
        assertThat(new BackupFolder("/prod/shop/orders/").fingerprint()).isEqualTo(fingerprint);
        assertThat(new BackupFolder("prod/shop/orders-2").fingerprint()).isNotEqualTo(fingerprint);
        assertThat(new BackupFolder("prod/shop/orders").name()).isEqualTo("orders");
        assertThat(new BackupFolder("orders").name()).isEqualTo("orders");
    }

    @Test
    void anEmptyKeyIsRefused() {
        assertThatThrownBy(() -> new BackupFolder(" / ")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new BackupFolder(null)).isInstanceOf(IllegalArgumentException.class);
    }
}

package io.backtrack.controller.storage;

import io.backtrack.api.storage.BackupStorage;
import io.backtrack.api.storage.BackupStorageSpec;
import io.backtrack.api.storage.S3Credentials;
import io.backtrack.api.storage.S3Storage;
import io.backtrack.controller.TestCluster;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;

/** BackupStorages as the tests' users write them, in {@link TestCluster#NS}, with {@link TestCluster#S3_SECRET}. */
public final class TestStorages {
    private TestStorages() {
    }

    public static BackupStorage storage(String name, String bucket, String prefix, String probeInterval) {
        BackupStorage storage = new BackupStorage();
        storage.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(TestCluster.NS).withGeneration(1L)
                .build());
        storage.setSpec(new BackupStorageSpec(new S3Storage("https://s3.eu-central-1.example", bucket, "eu-central-1",
                prefix, true, new S3Credentials(TestCluster.S3_SECRET, null, null), null, null), probeInterval));
        return storage;
    }
}

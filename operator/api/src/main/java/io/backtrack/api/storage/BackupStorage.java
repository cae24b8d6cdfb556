package io.backtrack.api.storage;

import io.backtrack.api.BacktrackApi;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn.Type;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * Where backups live, declared once: Backups, schedule templates and Restores name it with {@code storageRef}
 * instead of repeating the bucket and its credentials. A probe Job checks periodically that the location works.
 * Changing it never moves or rewrites an archive: a completed Backup keeps the folder its status names.
 */
@Group(BacktrackApi.GROUP)
@Version(BacktrackApi.VERSION)
@ShortNames("dbstorage")
// Named, not derived: Fabric8 otherwise pluralizes the kind with regular expressions in every constructor.
@Plural("backupstorages")
@Categories(BacktrackApi.CATEGORY)
@AdditionalPrinterColumn(name = "Bucket", jsonPath = ".spec.s3.bucket", type = Type.STRING)
@AdditionalPrinterColumn(name = "Prefix", jsonPath = ".spec.s3.prefix", type = Type.STRING)
@AdditionalPrinterColumn(name = "Available", jsonPath = ".status.conditions[?(@.type==\"Available\")].status", type = Type.STRING)
@AdditionalPrinterColumn(name = "Backups", jsonPath = ".status.backups", type = Type.INTEGER)
@AdditionalPrinterColumn(name = "Size", jsonPath = ".status.size", type = Type.STRING)
@AdditionalPrinterColumn(name = "Imported", jsonPath = ".status.imported", type = Type.INTEGER)
@AdditionalPrinterColumn(name = "Last Sync", jsonPath = ".status.lastSyncTime", type = Type.DATE)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = Type.DATE)
public class BackupStorage extends CustomResource<BackupStorageSpec, BackupStorageStatus> implements Namespaced {
}

package io.backtrack.api.backup;

import io.backtrack.api.BacktrackApi;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn.Type;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** One archive of one database in S3-compatible storage, with a manifest that proves what it holds. */
@Group(BacktrackApi.GROUP)
@Version(BacktrackApi.VERSION)
@ShortNames("dbbackup")
// Named, not derived: Fabric8 otherwise pluralizes the kind with regular expressions in every constructor.
@Plural("backups")
@Categories(BacktrackApi.CATEGORY)
@AdditionalPrinterColumn(name = "Phase", jsonPath = ".status.phase", type = Type.STRING)
@AdditionalPrinterColumn(name = "Size", jsonPath = ".status.archive.size", type = Type.STRING)
@AdditionalPrinterColumn(name = "SHA256", jsonPath = ".status.archive.sha256Short", type = Type.STRING)
// A discovered Backup is created long after its backup was taken: Completed says when, Age only when it was found.
@AdditionalPrinterColumn(name = "Completed", jsonPath = ".status.completedAt", type = Type.DATE)
@AdditionalPrinterColumn(name = "Origin", jsonPath = ".spec.origin", type = Type.STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = Type.DATE)
public class Backup extends CustomResource<BackupSpec, BackupStatus> implements Namespaced {

    @Override
    @ValidationRule(value = "self == oldSelf", message = "a Backup's spec is immutable: create a new Backup instead")
    public BackupSpec getSpec() {
        return super.getSpec();
    }
}

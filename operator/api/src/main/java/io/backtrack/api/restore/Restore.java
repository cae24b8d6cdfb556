package io.backtrack.api.restore;

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

/** Puts a backup back into a database: archive verified first, target saved first, result verified. */
@Group(BacktrackApi.GROUP)
@Version(BacktrackApi.VERSION)
@ShortNames("dbrestore")
// Named, not derived: Fabric8 otherwise pluralizes the kind with regular expressions in every constructor.
@Plural("restores")
@Categories(BacktrackApi.CATEGORY)
@AdditionalPrinterColumn(name = "Phase", jsonPath = ".status.phase", type = Type.STRING)
@AdditionalPrinterColumn(name = "Backup", jsonPath = ".spec.backupName", type = Type.STRING)
@AdditionalPrinterColumn(name = "Duration", jsonPath = ".status.durationSeconds", type = Type.NUMBER)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = Type.DATE)
public class Restore extends CustomResource<RestoreSpec, RestoreStatus> implements Namespaced {
}

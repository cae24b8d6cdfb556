package io.backtrack.api.schedule;

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

/** Backups on a clock: each run creates a Backup from a template; retention prunes the old ones. */
@Group(BacktrackApi.GROUP)
@Version(BacktrackApi.VERSION)
@ShortNames("dbschedule")
// Named, not derived: Fabric8 otherwise pluralizes the kind with regular expressions in every constructor.
@Plural("backupschedules")
@Categories(BacktrackApi.CATEGORY)
@AdditionalPrinterColumn(name = "Schedule", jsonPath = ".spec.schedule", type = Type.STRING)
@AdditionalPrinterColumn(name = "Suspended", jsonPath = ".spec.suspend", type = Type.BOOLEAN)
@AdditionalPrinterColumn(name = "Last Success", jsonPath = ".status.lastSuccessTime", type = Type.DATE)
// A string, not a date: kubectl shows a date column's future time as <invalid> (it prints only ages).
@AdditionalPrinterColumn(name = "Next", jsonPath = ".status.nextScheduleTime", type = Type.STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = Type.DATE)
public class BackupSchedule extends CustomResource<BackupScheduleSpec, BackupScheduleStatus> implements Namespaced {
}

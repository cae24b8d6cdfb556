package io.backtrack.api.storage;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** A folder under the prefix that a sync did not import, and why. */
public record SkippedFolder(
        @JsonPropertyDescription("The folder's key in the bucket.")
        String key,
        @JsonPropertyDescription("NoManifest (an archive without manifest.json: a backup that failed or is still being "
                + "written), ManifestUnreadable (not a Backtrack manifest), ArchiveMissing (the archive the manifest "
                + "names is not in the folder), ArchiveSizeMismatch (it is, with another size than the manifest says) "
                + "or TooLongToReport.")
        String reason) {
}

package io.backtrack.controller.backup;

import io.backtrack.api.backup.Backup;

import java.util.stream.Collectors;
import java.util.stream.Stream;

/** A backup's folder in the bucket: {@code <prefix>/<namespace>/<name>}, stable for the Backup's lifetime. */
public final class BackupFolder {
    private BackupFolder() {
    }

    public static String of(Backup backup) {
        String prefix = backup.getSpec().storage().s3().prefix();
        return Stream.of(prefix, backup.getMetadata().getNamespace(), backup.getMetadata().getName())
                .filter(p -> p != null && !p.isBlank())
                .map(p -> p.replaceAll("^/+|/+$", ""))
                .filter(p -> !p.isEmpty())
                .collect(Collectors.joining("/"));
    }
}

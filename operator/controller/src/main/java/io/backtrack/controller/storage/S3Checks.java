package io.backtrack.controller.storage;

import io.backtrack.api.storage.S3Storage;
import io.backtrack.controller.secrets.TlsRules;

import java.util.ArrayList;
import java.util.List;

/**
 * The checks of an S3 location the CRD schema makes at {@code kubectl apply}, repeated for API servers without
 * them and for resources written before a schema change: the same for an inline storage and a BackupStorage.
 */
public final class S3Checks {
    private S3Checks() {
    }

    /** @param path how the spec names the location, e.g. {@code storage.s3} */
    public static List<String> problems(S3Storage s3, String path) {
        List<String> problems = new ArrayList<>();
        if (s3 == null) {
            problems.add(path + " is required");
            return problems;
        }
        if (blank(s3.endpoint()) || !s3.endpoint().matches("^https?://.+")) {
            problems.add(path + ".endpoint must be an http:// or https:// URL, got \"" + s3.endpoint() + "\"");
        }
        if (blank(s3.bucket())) {
            problems.add(path + ".bucket is required");
        }
        if (s3.credentialsSecret() != null && blank(s3.credentialsSecret().name())) {
            problems.add(path + ".credentialsSecret.name is required when credentialsSecret is given");
        }
        TlsRules.storage(s3, path, problems);
        return problems;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}

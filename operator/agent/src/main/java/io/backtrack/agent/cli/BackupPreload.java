package io.backtrack.agent.cli;

import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import java.security.GeneralSecurityException;
import java.util.List;

/**
 * Loads and initialises, on a thread of its own, the classes a backup's first steps need (the JDBC driver and its
 * SCRAM authentication, the S3 client and its HTTP client) while the main thread reads the command line: the
 * connection and the storage check then start with their code ready instead of loading it on their way. Measured
 * on an almost empty database's backup with the image's JVM options: 0.02 s less of its 0.48 s.
 */
final class BackupPreload {
    /** The roots: loading one initialises what its static state needs. */
    static final List<String> CLASSES = List.of("org.postgresql.Driver", "org.postgresql.core.v3.ConnectionFactoryImpl",
            "org.postgresql.jdbc.PgConnection", "org.postgresql.core.v3.QueryExecutorImpl", "io.minio.MinioClient",
            "okhttp3.OkHttpClient");

    private BackupPreload() {
    }

    static void start() {
        Thread thread = new Thread(BackupPreload::load, "preload");
        thread.setDaemon(true);
        thread.start();
    }

    static void load() {
        try {
            for (String name : CLASSES) {
                Class.forName(name);
            }
            // SCRAM's key derivation and the request signatures: the JCE provider's lookup and set-up.
            SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256");
            Mac.getInstance("HmacSHA256");
        } catch (ClassNotFoundException | GeneralSecurityException | LinkageError e) {
            // Only a head start: whatever failed here is loaded again, and reported, where it is used.
        }
    }
}

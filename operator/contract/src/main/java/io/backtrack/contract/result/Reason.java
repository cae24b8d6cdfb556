package io.backtrack.contract.result;

/**
 * Why the agent failed (DESIGN.md §7): {@code {"ok":false,"reason":R,...}}. The operator uses the reason as the
 * condition reason of the resource, so each names a cause a person can act on.
 */
public enum Reason {
    /** A flag is missing, unknown or out of range, or the request cannot work (exit code 2 for a usage error). */
    InvalidArguments,
    DatabaseUnreachable,
    DatabaseAuthFailed,
    DatabaseNotFound,
    /**
     * The TLS handshake with the database server failed: its certificate is not signed by the CA bundle, names
     * another host, has expired, or the server does not offer TLS where the mode requires it.
     */
    DatabaseTlsFailed,
    DatabaseExists,
    /** No pg_dump, pg_restore or psql of a version that can work with the server and the archive. */
    ToolMissing,
    StorageUnreachable,
    StorageAuthFailed,
    /** The TLS handshake with the object store failed: an untrusted or expired certificate, or one naming another host. */
    StorageTlsFailed,
    BucketNotFound,
    /** No manifest.json in the folder (not a completed backup), or no archive where the manifest says. */
    ArchiveNotFound,
    /** The archive's SHA-256 or size differs from its manifest's, or it is not a readable pg_dump archive. */
    ArchiveCorrupt,
    /** Roles the restored objects are owned by or granted to do not exist on the target server. */
    RolesMissing,
    DumpFailed,
    RestoreFailed,
    /** Restored row counts differ from the manifest's (or a drill's check failed). */
    VerificationFailed,
    /**
     * An encrypted archive cannot be decrypted: no identity was given, or it is none of the recipients the archive
     * was encrypted to (the message names them). Found before any database is touched.
     */
    DecryptionFailed
}

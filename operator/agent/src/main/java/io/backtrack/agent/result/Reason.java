package io.backtrack.agent.result;

/** Failure reasons of the agent result contract (DESIGN.md §7); the controller uses them as condition reasons. */
public enum Reason {
    InvalidArguments,
    DatabaseUnreachable,
    DatabaseAuthFailed,
    DatabaseNotFound,
    DatabaseExists,
    ToolMissing,
    StorageUnreachable,
    StorageAuthFailed,
    BucketNotFound,
    ArchiveNotFound,
    ArchiveCorrupt,
    DumpFailed,
    RestoreFailed,
    VerificationFailed
}

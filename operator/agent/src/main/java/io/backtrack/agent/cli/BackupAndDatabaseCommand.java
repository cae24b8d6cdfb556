package io.backtrack.agent.cli;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

import java.nio.file.Path;

/** A command on one backup folder and one database server: restore and drill. */
abstract class BackupAndDatabaseCommand extends ResultCommand {
    @ParentCommand
    AgentMain root;

    @Mixin
    StorageOptions storage;

    @Mixin
    DatabaseOptions database;

    @Mixin
    PgBinRootOption pgBinRoot;

    @Mixin
    FolderOption folderOption;

    @Mixin
    IdentityOption identityOption;

    Path pgBinRoot() {
        return pgBinRoot.resolve(root.pgBinRoot());
    }
}

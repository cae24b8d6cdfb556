package io.backtrack.agent.cli;

import io.backtrack.contract.args.AgentFlags;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** Where PostgreSQL client tools live: {@code <root>/<major>/bin/pg_dump} (Debian layout). */
public final class PgBinRootOption {
    static final String DEFAULT_ROOT = "/usr/lib/postgresql";

    @Option(names = AgentFlags.PG_BIN_ROOT, paramLabel = "DIR",
            description = "Root of <major>/bin/pg_dump trees (env BACKTRACK_PG_BIN_ROOT, default " + DEFAULT_ROOT + ")")
    String root;

    /** Wraps the root command's value. */
    public static PgBinRootOption of(String root) {
        PgBinRootOption option = new PgBinRootOption();
        option.root = root;
        return option;
    }

    /** This option, else the root command's, else the environment, else the Debian default. */
    Path resolve(PgBinRootOption parent) {
        if (root != null) {
            return Path.of(root);
        }
        if (parent != null && parent.root != null) {
            return Path.of(parent.root);
        }
        String env = System.getenv("BACKTRACK_PG_BIN_ROOT");
        return Path.of(env == null || env.isBlank() ? DEFAULT_ROOT : env);
    }
}

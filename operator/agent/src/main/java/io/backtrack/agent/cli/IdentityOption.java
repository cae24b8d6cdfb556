package io.backtrack.agent.cli;

import io.backtrack.agent.crypto.AgeIdentity;
import io.backtrack.contract.args.AgentEnv;
import io.backtrack.contract.args.AgentFlags;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/**
 * The age identity every command that reads an archive's contents takes (restore, drill, verify --deep): an identity
 * file, else the environment (a Job's, from the Restore's decryption.identitySecret). Needed only for an encrypted
 * archive; the key never appears in a flag's value, a log line or a message.
 */
public final class IdentityOption {
    @Option(names = AgentFlags.IDENTITY_FILE, paramLabel = "FILE",
            description = "age identity file (AGE-SECRET-KEY-1... lines, as age-keygen writes it) to decrypt an "
                    + "encrypted archive with (default: the identity in env " + AgentEnv.AGE_IDENTITY + ")")
    Path identityFile;

    /** The identity given, or null for none. */
    AgeIdentity identity() {
        return AgeIdentity.load(identityFile, System.getenv(AgentEnv.AGE_IDENTITY));
    }
}

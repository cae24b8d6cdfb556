package io.backtrack.api.restore;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.backtrack.contract.args.AgentFlags;
import io.backtrack.api.database.DatabaseCredentials;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/** The database to restore into. Unset fields default to the backup's own database. */
public record RestoreTarget(
        @JsonPropertyDescription("Host name or Service of the target server. Default: the backup's host.")
        String host,
        @Min(1) @Max(65535) @JsonPropertyDescription("Port of the target server. Default: the backup's port, else "
                + AgentFlags.DEFAULT_PORT + ".")
        Integer port,
        @JsonPropertyDescription("Target database name. Default: the backup's database.")
        String database,
        @JsonPropertyDescription("Secret with the user name and password. Default: the backup's credentials Secret.")
        DatabaseCredentials credentialsSecret) {
}

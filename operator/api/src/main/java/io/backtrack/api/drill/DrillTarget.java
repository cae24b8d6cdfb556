package io.backtrack.api.drill;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.backtrack.api.database.DatabaseCredentials;
import io.backtrack.contract.args.AgentFlags;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;

/**
 * The database server drills restore into, under a new scratch name: best a scratch server, so a drill puts no load on
 * production. The operator refuses a drill whose target resolves to the backed-up database itself (the same server
 * and database name). The user needs CREATEDB there.
 */
public record DrillTarget(
        @Required @JsonPropertyDescription("Host name or Service of the scratch server, e.g. scratch-db.ops.svc.")
        String host,
        @Min(1) @Max(65535) @JsonPropertyDescription("Port of the scratch server. Default: " + AgentFlags.DEFAULT_PORT + ".")
        Integer port,
        @Required @JsonPropertyDescription("Secret with the user name and password (a role with CREATEDB) on the scratch server.")
        DatabaseCredentials credentialsSecret) {

    public int portOrDefault() {
        return port == null ? AgentFlags.DEFAULT_PORT : port;
    }
}

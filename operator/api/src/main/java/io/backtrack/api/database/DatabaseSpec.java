package io.backtrack.api.database;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.backtrack.contract.args.AgentFlags;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;

/** A database reached over the network, with credentials from a Secret. */
public record DatabaseSpec(
        @JsonPropertyDescription("Database engine. Default: postgresql.")
        DatabaseEngine engine,
        @Required @JsonPropertyDescription("Host name or Service of the database server, e.g. orders-db.shop.svc.")
        String host,
        @Min(1) @Max(65535) @JsonPropertyDescription("Port of the database server. Default: " + AgentFlags.DEFAULT_PORT + ".")
        Integer port,
        @Required @JsonPropertyDescription("Name of the database.")
        String database,
        @Required @JsonPropertyDescription("Secret with the user name and password the agent connects with.")
        DatabaseCredentials credentialsSecret) {

    public DatabaseEngine engineOrDefault() {
        return engine == null ? DatabaseEngine.postgresql : engine;
    }

    public int portOrDefault() {
        return port == null ? AgentFlags.DEFAULT_PORT : port;
    }

    /** How Backups, Restores and Jobs name this database, and find each other by it: host:port/database. */
    public String address() {
        return address(host, portOrDefault(), database);
    }

    /** host:port/database. */
    public static String address(String host, int port, String database) {
        return host + ":" + port + "/" + database;
    }
}

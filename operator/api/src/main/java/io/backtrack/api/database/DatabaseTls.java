package io.backtrack.api.database;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.backtrack.api.tls.CaSecret;
import io.backtrack.api.tls.ClientCertSecret;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * TLS to the database server, given alike to the agent's JDBC connections and to pg_dump, pg_restore and psql
 * (PGSSLMODE, PGSSLROOTCERT, PGSSLCERT, PGSSLKEY). The Secrets' keys are mounted read-only into the Job.
 */
@ValidationRule(value = "(self.mode == 'verify-ca' || self.mode == 'verify-full') == has(self.caSecret)",
        message = "caSecret is needed by, and only used with, mode verify-ca or verify-full")
@ValidationRule(value = "self.mode != 'disable' || !has(self.clientCertSecret)",
        message = "clientCertSecret needs TLS: mode disable sends no certificate")
public record DatabaseTls(
        @Required @JsonPropertyDescription("disable, prefer, require, verify-ca or verify-full, as libpq's sslmode. verify-full checks the server's certificate against caSecret and its name against host; verify-ca only the former; require and prefer encrypt without checking who answers.")
        SslMode mode,
        @JsonPropertyDescription("CA bundle the server's certificate must chain to; required by, and only used with, verify-ca and verify-full.")
        CaSecret caSecret,
        @JsonPropertyDescription("Client certificate and key the agent presents (for servers that authenticate with pg_hba's cert method, or require one).")
        ClientCertSecret clientCertSecret) {
}

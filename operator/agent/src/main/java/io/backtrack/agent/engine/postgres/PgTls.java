package io.backtrack.agent.engine.postgres;

import io.backtrack.agent.result.AgentFailure;
import io.backtrack.agent.tls.PemFiles;
import io.backtrack.contract.args.AgentFlags;
import io.backtrack.contract.result.Reason;
import io.backtrack.contract.wire.SslMode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * TLS to the database server, told alike to the JDBC driver and to libpq's tools (pg_dump, pg_restore, psql), so
 * that both check the same certificate the same way. The client key is given to each in the form it reads, from
 * private copies (0600, in the temp directory): PKCS#8 DER for the JDBC driver (42.7 reads no PEM key), PEM for
 * libpq (which refuses a key file others can read, as a mounted Secret's may be).
 *
 * @param mode     libpq's sslmode
 * @param rootCert the CA bundle the server's certificate must chain to (verify-ca, verify-full), or null
 * @param cert     the client certificate (PEM), or null
 * @param pemKey   libpq's copy of the client key (PEM, 0600), or null
 * @param derKey   the JDBC driver's copy of the client key (PKCS#8 DER, 0600), or null
 */
public record PgTls(SslMode mode, Path rootCert, Path cert, Path pemKey, Path derKey) {
    /** libpq's default: TLS when the server offers it, no certificate check. */
    public static final PgTls DEFAULT = new PgTls(SslMode.PREFER, null, null, null, null);

    /**
     * Checks the combination and prepares the key copies. A file that cannot be used is DatabaseTlsFailed naming
     * it; a combination that cannot work is InvalidArguments.
     */
    public static PgTls of(SslMode mode, Path rootCert, Path cert, Path key) {
        if (mode.verifiesCertificate() != (rootCert != null)) {
            throw new AgentFailure(Reason.InvalidArguments, mode.verifiesCertificate()
                    ? AgentFlags.SSL_MODE + " " + mode + " needs " + AgentFlags.SSL_ROOT_CERT
                            + " (the CA bundle the server's certificate is checked against)"
                    : AgentFlags.SSL_ROOT_CERT + " is only used with " + AgentFlags.SSL_MODE
                            + " verify-ca or verify-full, not " + mode
                            + " (libpq and the JDBC driver would each treat it differently)");
        }
        if ((cert == null) != (key == null)) {
            throw new AgentFailure(Reason.InvalidArguments, AgentFlags.SSL_CERT + " and " + AgentFlags.SSL_KEY
                    + " go together");
        }
        if (cert != null && mode == SslMode.DISABLE) {
            throw new AgentFailure(Reason.InvalidArguments, AgentFlags.SSL_CERT + " needs TLS: "
                    + AgentFlags.SSL_MODE + " disable sends no certificate");
        }
        try {
            if (rootCert != null) {
                PemFiles.certificates(rootCert);
            }
            if (cert == null) {
                return new PgTls(mode, rootCert, null, null, null);
            }
            PemFiles.certificates(cert);
            byte[] der = PemFiles.privateKeyPkcs8(key);
            Path dir = Files.createTempDirectory("backtrack-tls-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            Path pem = privateCopy(dir.resolve("client.key"), Files.readAllBytes(key));
            Path pk8 = privateCopy(dir.resolve("client.pk8"), der);
            for (Path p : new Path[]{pem, pk8, dir}) {
                p.toFile().deleteOnExit();
            }
            return new PgTls(mode, rootCert, cert, pem, pk8);
        } catch (IOException e) {
            throw new AgentFailure(Reason.DatabaseTlsFailed, "cannot use the database TLS files: " + e.getMessage()
                    + "; check database.tls (caSecret, clientCertSecret)", e);
        }
    }

    private static Path privateCopy(Path file, byte[] content) throws IOException {
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        return Files.write(file, content);
    }

    /** The JDBC driver's connection properties. */
    void addTo(Properties props) {
        props.setProperty("sslmode", mode.wireName());
        if (rootCert != null) {
            props.setProperty("sslrootcert", rootCert.toString());
        }
        if (cert != null) {
            props.setProperty("sslcert", cert.toString());
            props.setProperty("sslkey", derKey.toString());
        }
    }

    /**
     * libpq's connection parameters, in the order they go into a conninfo string; they override any PGSSLMODE etc.
     * the tools would otherwise inherit.
     */
    Map<String, String> libpqParameters() {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("sslmode", mode.wireName());
        if (rootCert != null) {
            params.put("sslrootcert", rootCert.toString());
        }
        if (cert != null) {
            params.put("sslcert", cert.toString());
            params.put("sslkey", pemKey.toString());
        }
        return params;
    }

    @Override
    public String toString() {
        return "sslmode=" + mode + (rootCert == null ? "" : " sslrootcert=" + rootCert)
                + (cert == null ? "" : " sslcert=" + cert);
    }
}

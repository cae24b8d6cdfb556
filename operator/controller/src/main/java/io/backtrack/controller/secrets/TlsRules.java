package io.backtrack.controller.secrets;

import io.backtrack.api.database.DatabaseTls;
import io.backtrack.api.storage.S3Storage;
import io.backtrack.contract.wire.SslMode;

import java.util.List;

/**
 * The CRDs' CEL rules on TLS and credentials, once more in the operator's words, for a resource that reached it
 * without them (an older CRD): a Job built from such a spec would only fail later, in the agent.
 */
public final class TlsRules {
    private TlsRules() {
    }

    public static void storage(S3Storage s3, String path, List<String> problems) {
        if (s3.caSecret() != null) {
            if (blank(s3.caSecret().name())) {
                problems.add(path + ".caSecret.name is required");
            }
            if (s3.endpoint() == null || !s3.endpoint().startsWith("https://")) {
                problems.add(path + ".caSecret needs an https:// endpoint");
            }
        }
    }

    public static void database(DatabaseTls tls, String path, List<String> problems) {
        if (tls == null) {
            return;
        }
        if (tls.mode() == null) {
            problems.add(path + ".mode is required: disable, prefer, require, verify-ca or verify-full");
            return;
        }
        SslMode mode = SslMode.parse(tls.mode().wireName());
        if (mode.verifiesCertificate() != (tls.caSecret() != null)) {
            problems.add(path + ".caSecret is needed by, and only used with, mode verify-ca or verify-full");
        } else if (tls.caSecret() != null && blank(tls.caSecret().name())) {
            problems.add(path + ".caSecret.name is required");
        }
        var clientCert = tls.clientCertSecret();
        if (clientCert != null) {
            if (mode == SslMode.DISABLE) {
                problems.add(path + ".clientCertSecret needs TLS: mode disable sends no certificate");
            }
            if (blank(clientCert.name())) {
                problems.add(path + ".clientCertSecret.name is required");
            }
            if (clientCert.certKeyOrDefault().equals(clientCert.keyKeyOrDefault())) {
                problems.add(path + ".clientCertSecret: certKey and keyKey must name two different keys");
            }
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}

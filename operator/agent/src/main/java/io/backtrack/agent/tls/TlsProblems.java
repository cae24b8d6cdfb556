package io.backtrack.agent.tls;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.util.Optional;

/**
 * What went wrong in a TLS handshake, in words for the person reading the condition: an unknown CA, a certificate
 * naming another host, an expired one. Looks through the cause chain, since JDBC and OkHttp each wrap the JDK's
 * exceptions their own way.
 */
public final class TlsProblems {
    private TlsProblems() {
    }

    /** The certificate problem behind {@code error}, if it is a TLS failure at all. */
    public static Optional<String> describe(Throwable error) {
        boolean tls = false;
        String detail = null;
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof CertificateExpiredException) {
                return Optional.of("its certificate has expired (" + t.getMessage() + ")");
            }
            if (t instanceof CertificateNotYetValidException) {
                return Optional.of("its certificate is not valid yet (" + t.getMessage() + ")");
            }
            if (t instanceof CertPathBuilderException || t instanceof CertPathValidatorException) {
                return Optional.of("its certificate is not signed by a trusted CA (" + firstLine(t) + ")");
            }
            if (t instanceof SSLPeerUnverifiedException) {
                return Optional.of("its certificate does not name the host connected to (" + oneLine(t) + ")");
            }
            String message = String.valueOf(t.getMessage());
            if (message.contains("could not be verified by hostnameverifier")
                    || message.contains("No subject alternative") || message.contains("does not match host name")) {
                return Optional.of("its certificate does not name the host connected to (" + firstLine(t) + ")");
            }
            if (t instanceof SSLException) {
                tls = true;
                detail = detail == null ? firstLine(t) : detail;
            }
        }
        return tls ? Optional.of("the TLS handshake failed (" + detail + ")") : Optional.empty();
    }

    private static String firstLine(Throwable t) {
        String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    /** OkHttp's host name failure spans lines (certificate pin, DN, names): keep it, on one line. */
    private static String oneLine(Throwable t) {
        return String.valueOf(t.getMessage()).replaceAll("\\s*\\n\\s*", "; ").strip();
    }
}

package io.backtrack.agent.tls;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * Reads the PEM files the agent is given from Secrets: CA bundles and client keys. A file that is missing or holds
 * nothing usable is an {@link IOException} whose message names the file and what was expected, for the person
 * fixing the Secret. Key material is never put into a message.
 */
public final class PemFiles {
    private PemFiles() {
    }

    /** Every certificate of a PEM bundle; at least one. */
    public static List<X509Certificate> certificates(Path file) throws IOException {
        byte[] pem = read(file);
        try {
            List<X509Certificate> certs = CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(pem)).stream()
                    .map(X509Certificate.class::cast).toList();
            if (certs.isEmpty()) {
                throw new IOException(file + " holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
            }
            return certs;
        } catch (CertificateException e) {
            throw new IOException(file + " is not a PEM certificate bundle: " + e.getMessage(), e);
        }
    }

    /**
     * The unencrypted private key of a PEM file in PKCS#8 DER, the form the PostgreSQL JDBC driver reads
     * ({@code sslkey}); the file may hold PKCS#8 ({@code BEGIN PRIVATE KEY}), PKCS#1 RSA ({@code BEGIN RSA PRIVATE
     * KEY}) or SEC1 EC ({@code BEGIN EC PRIVATE KEY}), as cert-manager and openssl write them.
     */
    public static byte[] privateKeyPkcs8(Path file) throws IOException {
        byte[] pem = read(file);
        try (Reader reader = new java.io.InputStreamReader(new ByteArrayInputStream(pem), StandardCharsets.US_ASCII);
             PEMParser parser = new PEMParser(reader)) {
            for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
                if (o instanceof PrivateKeyInfo info) {
                    return info.getEncoded();
                }
                if (o instanceof PEMKeyPair pair) {
                    return pair.getPrivateKeyInfo().getEncoded();
                }
                if (o instanceof PEMEncryptedKeyPair || o instanceof PKCS8EncryptedPrivateKeyInfo) {
                    throw new IOException(file + " holds an encrypted private key; the agent needs it unencrypted "
                            + "(the Secret protects it)");
                }
            }
        } catch (IOException e) {
            if (e.getMessage() != null && e.getMessage().startsWith(file.toString())) {
                throw e;
            }
            throw new IOException(file + " is not a PEM private key: " + e.getClass().getSimpleName(), e);
        }
        throw new IOException(file + " holds no PEM private key (-----BEGIN PRIVATE KEY-----, "
                + "-----BEGIN RSA PRIVATE KEY----- or -----BEGIN EC PRIVATE KEY-----)");
    }

    private static byte[] read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + " does not exist");
        }
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new IOException(file + " cannot be read: " + e.getMessage(), e);
        }
    }
}

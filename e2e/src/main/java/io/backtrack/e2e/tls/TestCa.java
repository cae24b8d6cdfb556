package io.backtrack.e2e.tls;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaMiscPEMGenerator;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A throw-away certificate authority for the TLS tests: EC P-256 keys, certificates valid for a day, written as the
 * PEM files a cert-manager Secret holds (ca.crt, tls.crt, tls.key) or as a PKCS#12 keystore for S3Proxy.
 *
 * <pre>{@code
 * TestCa ca = TestCa.create("backtrack test CA");
 * TestCa.Issued server = ca.issue("postgres", List.of("pg.test"), List.of("127.0.0.1"), dir);
 * ca.writeCertificate(dir.resolve("ca.crt"));
 * }</pre>
 */
public final class TestCa {
    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

    private final KeyPair keys;
    private final X509Certificate certificate;

    private TestCa(KeyPair keys, X509Certificate certificate) {
        this.keys = keys;
        this.certificate = certificate;
    }

    /** A certificate and its key, as files. */
    public record Issued(Path certificate, Path key, X509Certificate x509, KeyPair keys) {
    }

    public static TestCa create(String name) {
        try {
            KeyPair keys = ecKeys();
            X500Name subject = new X500Name("CN=" + name);
            JcaX509v3CertificateBuilder builder = builder(subject, subject, keys);
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            return new TestCa(keys, sign(builder, keys));
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot create a test CA", e);
        }
    }

    /**
     * A leaf certificate for {@code commonName} with the given DNS and IP subject alternative names, written to
     * {@code dir}/{@code commonName}.crt and .key (the key as SEC1 {@code EC PRIVATE KEY} PEM when {@code sec1},
     * else PKCS#8 {@code PRIVATE KEY}), readable by its owner only.
     */
    public Issued issue(String commonName, List<String> dnsNames, List<String> ipAddresses, Path dir, boolean sec1) {
        try {
            // BouncyCastle's keys keep the curve inside the SEC1 structure, as openssl writes it; the JDK's do not.
            KeyPair leafKeys = sec1 ? ecKeys(new org.bouncycastle.jce.provider.BouncyCastleProvider()) : ecKeys();
            JcaX509v3CertificateBuilder builder = builder(new X500Name(certificate.getSubjectX500Principal().getName()),
                    new X500Name("CN=" + commonName), leafKeys);
            List<GeneralName> names = new ArrayList<>();
            dnsNames.forEach(n -> names.add(new GeneralName(GeneralName.dNSName, n)));
            for (String ip : ipAddresses) {
                names.add(new GeneralName(GeneralName.iPAddress, ip));
                InetAddress.getByName(ip); // a typo fails here, not in a handshake
            }
            if (!names.isEmpty()) {
                builder.addExtension(Extension.subjectAlternativeName, false,
                        new GeneralNames(names.toArray(GeneralName[]::new)));
            }
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            X509Certificate cert = sign(builder, keys);
            Path certFile = dir.resolve(commonName + ".crt");
            Path keyFile = dir.resolve(commonName + ".key");
            Files.writeString(certFile, pem(cert));
            Files.writeString(keyFile, sec1 ? pem(leafKeys.getPrivate())
                    : pem(new JcaPKCS8Generator(leafKeys.getPrivate(), null)));
            keyFile.toFile().setReadable(false, false);
            keyFile.toFile().setReadable(true, true);
            return new Issued(certFile, keyFile, cert, leafKeys);
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot issue a certificate for " + commonName, e);
        }
    }

    /** The CA's certificate as a PEM file (what a caSecret holds). */
    public Path writeCertificate(Path file) {
        try {
            return Files.writeString(file, pem(certificate));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A PKCS#12 keystore holding the issued certificate (with this CA's) and its key, for Jetty (S3Proxy). */
    public Path writeKeystore(Issued issued, Path file, String password) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("server", issued.keys().getPrivate(), password.toCharArray(),
                    new Certificate[]{issued.x509(), certificate});
            try (OutputStream out = Files.newOutputStream(file)) {
                store.store(out, password.toCharArray());
            }
            return file;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot write keystore " + file, e);
        }
    }

    private static KeyPair ecKeys() throws GeneralSecurityException {
        return ecKeys(null);
    }

    private static KeyPair ecKeys(java.security.Provider provider) throws GeneralSecurityException {
        KeyPairGenerator generator = provider == null ? KeyPairGenerator.getInstance("EC")
                : KeyPairGenerator.getInstance("EC", provider);
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    private static JcaX509v3CertificateBuilder builder(X500Name issuer, X500Name subject, KeyPair keys) {
        Instant now = Instant.now();
        return new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(SERIAL.incrementAndGet()),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(1))), subject,
                keys.getPublic());
    }

    private static X509Certificate sign(JcaX509v3CertificateBuilder builder, KeyPair signer)
            throws GeneralSecurityException {
        try {
            ContentSigner contentSigner = new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate());
            X509CertificateHolder holder = builder.build(contentSigner);
            return new JcaX509CertificateConverter().getCertificate(holder);
        } catch (org.bouncycastle.operator.OperatorCreationException e) {
            throw new GeneralSecurityException(e);
        }
    }

    private static String pem(Object o) throws IOException {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            if (o instanceof JcaPKCS8Generator g) {
                writer.writeObject(g);
            } else {
                writer.writeObject(new JcaMiscPEMGenerator(o));
            }
        }
        return out.toString();
    }
}

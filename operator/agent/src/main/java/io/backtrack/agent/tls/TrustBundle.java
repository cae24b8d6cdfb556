package io.backtrack.agent.tls;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * The system's trusted roots plus the certificates of a PEM bundle, as one PKIX trust manager: a private CA is
 * trusted in addition to the public ones, never instead of checking, and there is no way to skip the check.
 *
 * @param trustManager checks a server's chain against both sets
 * @param context      a TLS context using it
 */
public record TrustBundle(X509TrustManager trustManager, SSLContext context) {

    public static TrustBundle withExtraRoots(Path pemBundle) throws IOException {
        List<X509Certificate> extra = PemFiles.certificates(pemBundle);
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int n = 0;
            for (X509Certificate root : systemTrustManager().getAcceptedIssuers()) {
                store.setCertificateEntry("system-" + n++, root);
            }
            for (X509Certificate cert : extra) {
                store.setCertificateEntry("extra-" + n++, cert);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            X509TrustManager tm = x509(tmf.getTrustManagers());
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[]{tm}, null);
            return new TrustBundle(tm, context);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot build a trust store from " + pemBundle + ": " + e.getMessage(), e);
        }
    }

    private static X509TrustManager systemTrustManager() throws GeneralSecurityException {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init((KeyStore) null);
        return x509(tmf.getTrustManagers());
    }

    private static X509TrustManager x509(TrustManager[] managers) {
        for (TrustManager m : managers) {
            if (m instanceof X509TrustManager x) {
                return x;
            }
        }
        throw new IllegalStateException("no X509TrustManager");
    }
}

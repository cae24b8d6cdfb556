package io.backtrack.e2e.cluster;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Kubernetes API server for tests and the sandbox: Fabric8's mock server in CRUD mode, plain HTTP on
 * 127.0.0.1. It stores objects, serves lists and watches, honours resourceVersion (409 on a stale
 * update) and the status subresource of CRDs created through it. It has no controllers: pair it with
 * {@link LocalJobRunner} for Jobs and {@link #collectGarbage()} (or {@link #startGarbageCollector}) for
 * owner-reference garbage collection.
 */
public final class MockCluster implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MockCluster.class);
    // MockWebServer logs every request at INFO through java.util.logging; keep a strong reference so
    // the quieter level sticks.
    private static final java.util.logging.Logger MOCK_WEB_SERVER_LOG = quiet("io.fabric8.mockwebserver");
    /**
     * The bearer token clients send (the mock server checks none). Clients need one: without a token Fabric8
     * re-reads its whole configuration before every request once a minute has passed (TokenRefreshInterceptor).
     */
    public static final String TOKEN = "backtrack-mock-cluster";

    private final KubernetesMockServer server;
    private final KubernetesClient client;
    private final GarbageCollector garbageCollector;
    private ScheduledExecutorService gcTimer;

    private MockCluster(int port) {
        // CRUD dispatcher: POSTs of CustomResourceDefinitions register the CRD (plural, scope, status
        // subresource, API discovery) with the dispatcher, so custom resources need no
        // expectCustomResource(...) call.
        server = new KubernetesMockServer(new Context(Serialization.jsonMapper()), new MockWebServer(),
                new HashMap<>(), new LockingCrudDispatcher(), false);
        server.init(loopback(), port);
        client = newClient(url());
        garbageCollector = new GarbageCollector(client);
    }

    /** Starts a cluster on a free port. */
    public static MockCluster start() {
        return new MockCluster(0);
    }

    /** Starts a cluster on {@code port} (fixed, e.g. for the sandbox a developer points kubectl at). */
    public static MockCluster start(int port) {
        return new MockCluster(port);
    }

    /** The API server's base URL, e.g. {@code http://127.0.0.1:40123}. */
    public String url() {
        return "http://127.0.0.1:" + server.getPort();
    }

    public int port() {
        return server.getPort();
    }

    /** A client for this cluster (shared; closed with the cluster). Default namespace: {@code default}. */
    public KubernetesClient client() {
        return client;
    }

    /** A new client for {@code url}, ignoring any kubeconfig or in-cluster settings of this machine. */
    public static KubernetesClient newClient(String url) {
        Config config = new ConfigBuilder(Config.empty())
                .withMasterUrl(url)
                .withOauthToken(TOKEN)
                .withNamespace("default")
                .withHttp2Disable(true)
                .withRequestRetryBackoffLimit(3)
                .build();
        return new KubernetesClientBuilder().withConfig(config).build();
    }

    /**
     * Creates every CustomResourceDefinition found in the {@code *.yaml}/{@code *.yml}/{@code *.json}
     * files of {@code dir} (multi-document files allowed; other kinds are skipped). Already existing
     * CRDs are replaced.
     *
     * @return the CRDs applied
     */
    public List<CustomResourceDefinition> applyCrds(Path dir) {
        List<CustomResourceDefinition> applied = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(MockCluster::isManifest).sorted().toList()) {
                applied.addAll(applyCrdFile(file));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read CRDs from " + dir, e);
        }
        return applied;
    }

    /** Creates the CustomResourceDefinitions of one YAML or JSON file. */
    public List<CustomResourceDefinition> applyCrdFile(Path file) {
        List<CustomResourceDefinition> applied = new ArrayList<>();
        try (InputStream in = Files.newInputStream(file)) {
            for (HasMetadata item : client.load(in).items()) {
                if (item instanceof CustomResourceDefinition crd) {
                    applied.add(applyCrd(crd));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return applied;
    }

    /** Creates (or replaces) one CRD; the server serves its resources from then on. */
    public CustomResourceDefinition applyCrd(CustomResourceDefinition crd) {
        var crds = client.apiextensions().v1().customResourceDefinitions();
        crd.getMetadata().setResourceVersion(null);
        try {
            return crds.resource(crd).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw e;
            }
            // Replace by delete + create: the dispatcher registers CRDs on create.
            crds.withName(crd.getMetadata().getName()).delete();
            return crds.resource(crd).create();
        }
    }

    /**
     * One pass of the owner-reference garbage collector: deletes Jobs and Pods none of whose owners
     * exists any more (matched by uid, as Kubernetes does).
     *
     * @return the number of objects deleted
     */
    public int collectGarbage() {
        return garbageCollector.collect();
    }

    /** Runs {@link #collectGarbage()} in the background every {@code interval} until {@link #close()}. */
    public synchronized MockCluster startGarbageCollector(Duration interval) {
        if (gcTimer == null) {
            gcTimer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "mock-cluster-gc");
                t.setDaemon(true);
                return t;
            });
            gcTimer.scheduleWithFixedDelay(this::collectQuietly, interval.toMillis(), interval.toMillis(),
                    TimeUnit.MILLISECONDS);
        }
        return this;
    }

    private void collectQuietly() {
        try {
            collectGarbage();
        } catch (RuntimeException e) {
            LOG.warn("garbage collection pass failed: {}", e.toString());
        }
    }

    @Override
    public synchronized void close() {
        if (gcTimer != null) {
            gcTimer.shutdownNow();
        }
        client.close();
        server.destroy();
    }

    private static boolean isManifest(Path p) {
        String name = p.getFileName().toString();
        return Files.isRegularFile(p) && (name.endsWith(".yaml") || name.endsWith(".yml") || name.endsWith(".json"));
    }

    private static java.util.logging.Logger quiet(String name) {
        java.util.logging.Logger logger = java.util.logging.Logger.getLogger(name);
        if (!Boolean.getBoolean("backtrack.mockserver.verbose")) {
            logger.setLevel(java.util.logging.Level.WARNING);
        }
        return logger;
    }

    private static InetAddress loopback() {
        try {
            return InetAddress.getByName("127.0.0.1");
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}

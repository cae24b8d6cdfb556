package io.backtrack.controller.events;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.backtrack.api.backup.Backup;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The recorder against an API server whose Event writes hang until the test lets them through: a reconcile never
 * waits for an Event, a full queue drops the newest, and shutdown writes out what is queued.
 */
class EventRecorderTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final CountDownLatch gate = new CountDownLatch(1);
    private final BlockingQueue<String> arrived = new LinkedBlockingQueue<>();
    private final List<String> written = new CopyOnWriteArrayList<>();
    private HttpServer server;
    private KubernetesClient client;

    @BeforeEach
    void startApiServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/api/v1/namespaces/team-a/events", this::createEvent);
        server.setExecutor(Executors.newCachedThreadPool());
        server.start();
        Config config = new ConfigBuilder(Config.empty())
                .withMasterUrl("http://127.0.0.1:" + server.getAddress().getPort())
                .withRequestRetryBackoffLimit(0)
                .build();
        client = new KubernetesClientBuilder().withConfig(config).build();
    }

    @AfterEach
    void stopApiServer() {
        gate.countDown();
        client.close();
        server.stop(0);
    }

    private void createEvent(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        String reason = JSON.readTree(body).path("reason").asText();
        arrived.add(reason);
        try {
            gate.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        int status = reason.equals("Refused") ? 403 : 201;
        if (status == 201) {
            written.add(reason);
        }
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    @Test
    void anEventOfAResourceWithTheLongestNameStillHasAValidName() {
        String name = EventRecorder.eventName("b".repeat(252) + "c");
        assertThat(name).hasSizeLessThanOrEqualTo(253).matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
        assertThat(EventRecorder.eventName("orders-nightly")).startsWith("orders-nightly.");
        assertThat(EventRecorder.eventName("a-" + "b".repeat(237) + "-.-x")).doesNotContain("-.");
    }

    @Test
    void recordingNeverWaitsForTheApiServerAndKeepsTheOrder() throws Exception {
        EventRecorder recorder = recorder();
        recorder.normal(backup(), "Started", "one");
        recorder.normal(backup(), "JobCreated", "two");
        recorder.warning(backup(), "Failed", "three");
        assertThat(arrived.poll(10, TimeUnit.SECONDS)).as("the first write is on its way").isEqualTo("Started");
        assertThat(written).as("all three calls returned while the API server holds the first write").isEmpty();

        gate.countDown();
        recorder.flush();
        assertThat(written).containsExactly("Started", "JobCreated", "Failed");
    }

    @Test
    void aFullQueueDropsTheNewestEventInsteadOfBlocking() throws Exception {
        EventRecorder recorder = new EventRecorder(client, Clock.systemUTC(), 2, "backtrack-system", "operator-0");
        recorder.normal(backup(), "First", "written as soon as the API server answers");
        assertThat(arrived.poll(10, TimeUnit.SECONDS)).isEqualTo("First");
        recorder.normal(backup(), "Second", "queued");
        recorder.normal(backup(), "Third", "queued");
        recorder.normal(backup(), "Fourth", "the queue is full: dropped with a log line");

        gate.countDown();
        recorder.flush();
        assertThat(written).containsExactly("First", "Second", "Third");
    }

    @Test
    void shutdownWritesOutTheQueueAndLaterEventsAreWrittenDirectly() throws Exception {
        EventRecorder recorder = recorder();
        recorder.normal(backup(), "First", "held by the API server");
        recorder.normal(backup(), "Second", "queued when shutdown starts");
        assertThat(arrived.poll(10, TimeUnit.SECONDS)).isEqualTo("First");

        Thread shutdown = new Thread(() -> {
            try {
                recorder.flush();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        shutdown.start();
        gate.countDown();
        shutdown.join(TimeUnit.SECONDS.toMillis(15));
        assertThat(shutdown.isAlive()).isFalse();
        assertThat(written).containsExactly("First", "Second");

        recorder.normal(backup(), "Late", "a reconcile finishing during shutdown");
        assertThat(written).as("written before record returned").containsExactly("First", "Second", "Late");
    }

    @Test
    void anEventTheApiServerRefusesIsLoggedAndTheNextOneIsStillWritten() throws Exception {
        EventRecorder recorder = recorder();
        gate.countDown();
        recorder.warning(backup(), "Refused", "the API server answers 403");
        recorder.normal(backup(), "Accepted", "written");
        recorder.flush();
        assertThat(arrived).containsExactly("Refused", "Accepted");
        assertThat(written).containsExactly("Accepted");
    }

    @Test
    void aWarningAboutADeletedNamespaceGoesToTheOperatorsNamespaceAsANewStyleEvent() throws Exception {
        List<String> bodies = new CopyOnWriteArrayList<>();
        server.createContext("/api/v1/namespaces/backtrack-system/events", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            bodies.add(new String(body, java.nio.charset.StandardCharsets.UTF_8));
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(201, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        EventRecorder recorder = recorder();
        recorder.warningInOperatorNamespace(backup(), "ArchiveKept", "kept");
        recorder.flush();
        assertThat(bodies).hasSize(1);
        var event = JSON.readTree(bodies.get(0));
        assertThat(event.at("/metadata/namespace").asText()).isEqualTo("backtrack-system");
        assertThat(event.at("/involvedObject/namespace").asText()).isEqualTo("team-a");
        assertThat(event.at("/involvedObject/name").asText()).isEqualTo("nightly");
        assertThat(event.at("/type").asText()).isEqualTo("Warning");
        // What the API server requires of an Event outside its object's namespace (eventTime set: the new-style rules).
        assertThat(event.at("/eventTime").asText()).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{6}Z");
        assertThat(event.at("/reportingComponent").asText()).matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
        assertThat(event.at("/reportingInstance").asText()).isEqualTo("operator-0");
        assertThat(event.at("/action").asText()).isNotBlank();
    }

    private EventRecorder recorder() {
        return new EventRecorder(client, Clock.systemUTC(), 100, "backtrack-system", "operator-0");
    }

    private static Backup backup() {
        Backup backup = new Backup();
        backup.setMetadata(new ObjectMetaBuilder().withName("nightly").withNamespace("team-a").withUid("u-1").build());
        return backup;
    }
}

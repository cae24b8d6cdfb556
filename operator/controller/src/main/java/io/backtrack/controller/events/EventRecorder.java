package io.backtrack.controller.events;

import io.backtrack.controller.config.BacktrackConfig;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.MicroTime;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Writes core/v1 Events on our resources, as `kubectl describe` shows them. They are written by a thread of their
 * own, in order, as client-go's recorder does: a reconcile does not wait for them (in a burst of schedule firings
 * they were one API call in three ahead of the next run's create); at shutdown the queue is written out first.
 */
@ApplicationScoped
public class EventRecorder {
    private static final Logger LOG = Logger.getLogger(EventRecorder.class);
    private static final String COMPONENT = "backtrack-operator";
    private static final int MAX_MESSAGE = 1024;
    private static final int MAX_NAME = 253;
    /** Events waiting to be written; beyond it an Event is dropped with a log line (the API server is not keeping up). */
    private static final int QUEUE = 10_000;

    private static final DateTimeFormatter MICRO_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'")
            .withZone(ZoneOffset.UTC);

    private final ThreadPoolExecutor writer;
    private final KubernetesClient client;
    private final Clock clock;
    private final String operatorNamespace;
    private final String instance;

    @Inject
    public EventRecorder(KubernetesClient client, Clock clock, BacktrackConfig config) {
        this(client, clock, QUEUE, config.operatorNamespace(),
                config.leaderElection().identity().filter(n -> !n.isBlank()).orElse(COMPONENT));
    }

    EventRecorder(KubernetesClient client, Clock clock, int queue, String operatorNamespace, String instance) {
        this.client = client;
        this.clock = clock;
        this.operatorNamespace = operatorNamespace;
        this.instance = instance;
        this.writer = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(queue), task -> {
            Thread t = new Thread(task, "event-writer");
            t.setDaemon(true);
            return t;
        });
    }

    public void normal(HasMetadata resource, String reason, String message) {
        record(resource, "Normal", reason, message);
    }

    public void warning(HasMetadata resource, String reason, String message) {
        record(resource, "Warning", reason, message);
    }

    /**
     * A Warning about a resource whose namespace is being deleted: that namespace accepts no new Event (and its Events
     * go with it), so this one is written in the operator's own namespace (kubectl get events -n &lt;operator
     * namespace&gt;). An Event outside its object's namespace must be a new-style one: eventTime, reporting
     * controller and instance, action.
     */
    public void warningInOperatorNamespace(HasMetadata resource, String reason, String message) {
        Instant now = Instant.now(clock);
        Event event = event(resource, operatorNamespace, "Warning", reason, message);
        event.setEventTime(new MicroTime(MICRO_TIME.format(now)));
        event.setReportingInstance(instance.length() > 128 ? instance.substring(0, 128) : instance);
        event.setAction("Delete");
        enqueue(event);
    }

    private void record(HasMetadata resource, String type, String reason, String message) {
        enqueue(event(resource, resource.getMetadata().getNamespace(), type, reason, message));
    }

    private Event event(HasMetadata resource, String namespace, String type, String reason, String message) {
        String now = Instant.now(clock).toString();
        String text = message == null ? "" : message.length() > MAX_MESSAGE ? message.substring(0, MAX_MESSAGE) : message;
        return new EventBuilder()
                .withNewMetadata()
                .withName(eventName(resource.getMetadata().getName()))
                .withNamespace(namespace)
                .endMetadata()
                .withInvolvedObject(new ObjectReferenceBuilder()
                        .withApiVersion(resource.getApiVersion())
                        .withKind(resource.getKind())
                        .withName(resource.getMetadata().getName())
                        .withNamespace(resource.getMetadata().getNamespace())
                        .withUid(resource.getMetadata().getUid())
                        .withResourceVersion(resource.getMetadata().getResourceVersion())
                        .build())
                .withType(type)
                .withReason(reason)
                .withMessage(text)
                .withFirstTimestamp(now)
                .withLastTimestamp(now)
                .withCount(1)
                .withNewSource().withComponent(COMPONENT).endSource()
                .withReportingComponent(COMPONENT)
                .build();
    }

    private void enqueue(Event event) {
        String reason = event.getReason();
        try {
            writer.execute(() -> write(event));
        } catch (RejectedExecutionException e) {
            if (writer.isShutdown()) {
                write(event); // a reconcile finishing during shutdown
            } else {
                LOG.warnf("event dropped reason=%s on %s/%s: %d events are waiting to be written", reason,
                        event.getMetadata().getNamespace(), event.getInvolvedObject().getName(),
                        writer.getQueue().size());
            }
        }
    }

    /** The resource's name (cut to leave room: names may be 253 characters, as may the Event's) and a random suffix. */
    static String eventName(String resourceName) {
        String base = resourceName.length() > MAX_NAME - 13 ? resourceName.substring(0, MAX_NAME - 13) : resourceName;
        return base.replaceAll("[-.]+$", "") + "." + UUID.randomUUID().toString().substring(0, 13).replace("-", "");
    }

    private void write(Event event) {
        try {
            client.v1().events().inNamespace(event.getMetadata().getNamespace()).resource(event).create();
        } catch (RuntimeException e) {
            // An Event is a courtesy: never fail anything because one could not be written.
            LOG.warnf("could not record event reason=%s on %s/%s: %s", event.getReason(),
                    event.getMetadata().getNamespace(), event.getInvolvedObject().getName(), e.getMessage());
        }
    }

    /** Writes what is still queued before the client closes. */
    @PreDestroy
    void flush() throws InterruptedException {
        writer.shutdown();
        if (!writer.awaitTermination(10, TimeUnit.SECONDS)) {
            LOG.warnf("%d events not written at shutdown", writer.getQueue().size());
        }
    }
}

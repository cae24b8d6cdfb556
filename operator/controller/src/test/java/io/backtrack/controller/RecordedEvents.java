package io.backtrack.controller;

import io.backtrack.controller.events.EventRecorder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** The Events a reconciler records, kept in order ("Warning SecretNotFound: ...") instead of written. */
public final class RecordedEvents extends EventRecorder {
    private final List<String> recorded = new CopyOnWriteArrayList<>();

    public RecordedEvents(KubernetesClient client, Clock clock) {
        super(client, clock, TestConfig.INSTANCE);
    }

    @Override
    public void normal(HasMetadata resource, String reason, String message) {
        recorded.add("Normal " + reason + ": " + message);
    }

    @Override
    public void warning(HasMetadata resource, String reason, String message) {
        recorded.add("Warning " + reason + ": " + message);
    }

    @Override
    public void warningInOperatorNamespace(HasMetadata resource, String reason, String message) {
        recorded.add("Warning " + reason + " (operator namespace): " + message);
    }

    public List<String> all() {
        return List.copyOf(recorded);
    }

    /** The Events with this reason. */
    public List<String> withReason(String reason) {
        return recorded.stream().filter(e -> e.split(" ")[1].startsWith(reason)).toList();
    }
}

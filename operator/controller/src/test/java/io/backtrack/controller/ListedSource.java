package io.backtrack.controller;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource;
import io.javaoperatorsdk.operator.processing.event.source.Cache;

import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * An informer's cache in unit tests: whatever the in-memory API server holds now, in every namespace. Started, as an
 * informer that has synced.
 */
public final class ListedSource<R extends HasMetadata, P extends HasMetadata> extends AbstractEventSource<R, P>
        implements Cache<R> {
    private final KubernetesClient client;

    public ListedSource(KubernetesClient client, Class<R> type) {
        super(type);
        this.client = client;
        start();
    }

    @Override
    public Stream<R> list(Predicate<R> predicate) {
        return client.resources(resourceType()).inAnyNamespace().list().getItems().stream().filter(predicate);
    }

    @Override
    public Optional<R> get(ResourceID id) {
        return Optional.ofNullable(client.resources(resourceType()).inNamespace(id.getNamespace().orElseThrow())
                .withName(id.getName()).get());
    }

    @Override
    public Stream<ResourceID> keys() {
        return list().map(ResourceID::fromResource);
    }

    @Override
    public Set<R> getSecondaryResources(P primary) {
        throw new UnsupportedOperationException("read through TestContext");
    }
}

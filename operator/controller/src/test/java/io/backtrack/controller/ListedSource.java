package io.backtrack.controller;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.dependent.RecentOperationCacheFiller;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource;
import io.javaoperatorsdk.operator.processing.event.source.Cache;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * An informer's cache in unit tests: whatever the in-memory API server holds now, in every namespace. Started, as an
 * informer that has synced.
 */
public final class ListedSource<R extends HasMetadata, P extends HasMetadata> extends AbstractEventSource<R, P>
        implements Cache<R>, RecentOperationCacheFiller<R> {
    private final KubernetesClient client;
    /** What reconcilers handed over as just created by them, as a real informer's temporary cache gets it. */
    public final List<R> handedOver = new CopyOnWriteArrayList<>();

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
    public void handleRecentResourceCreate(ResourceID resourceID, R resource) {
        handedOver.add(resource);
    }

    @Override
    public void handleRecentResourceUpdate(ResourceID resourceID, R resource, R previousVersionOfResource) {
        handedOver.add(resource);
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

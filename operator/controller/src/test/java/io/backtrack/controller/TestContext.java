package io.backtrack.controller;

import io.backtrack.controller.job.JobCache;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import io.javaoperatorsdk.operator.api.config.ConfigurationService;
import io.javaoperatorsdk.operator.api.config.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.config.dependent.DependentResourceSpec;
import io.javaoperatorsdk.operator.api.config.informer.InformerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.IndexedResourceCache;
import io.javaoperatorsdk.operator.api.reconciler.RetryInfo;
import io.javaoperatorsdk.operator.api.reconciler.dependent.managed.ManagedWorkflowAndDependentResourceContext;
import io.javaoperatorsdk.operator.processing.event.EventSourceRetriever;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.controller.ControllerEventSource;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * What a reconciler reads through JOSDK's Context in unit tests, answered from the in-memory API server: secondary
 * resources are every object of the type in the primary's namespace (the reconcilers pick theirs by name or label),
 * the primary cache is every primary, and named event sources are the ones registered with {@link #source}.
 */
public final class TestContext<P extends HasMetadata> implements Context<P> {
    private final KubernetesClient client;
    private final P primary;
    private final Map<String, EventSource<?, P>> sources = new HashMap<>();
    private boolean reducedJobs;
    private RetryInfo retry;

    public TestContext(KubernetesClient client, P primary) {
        this.client = client;
        this.primary = primary;
    }

    /** Registers an event source a reconciler looks up by name. */
    public TestContext<P> source(String name, EventSource<?, P> source) {
        sources.put(name, source);
        return this;
    }

    /**
     * Secondary Jobs as the operator's informers keep them ({@link JobCache#reduced}: status, owner, labels, deadline;
     * no annotations, no creation time), so a reconciler that reads more of a Job than its cache keeps fails here.
     */
    public TestContext<P> withReducedJobs() {
        this.reducedJobs = true;
        return this;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <R> Set<R> getSecondaryResources(Class<R> type) {
        List<? extends HasMetadata> items = client.resources((Class<? extends HasMetadata>) type)
                .inNamespace(primary.getMetadata().getNamespace()).list().getItems();
        if (reducedJobs && type == Job.class) {
            ItemStore<Job> cache = JobCache.reduced();
            items = items.stream().map(j -> {
                String key = cache.getKey((Job) j);
                cache.put(key, (Job) j);
                return cache.get(key);
            }).toList();
        }
        return new LinkedHashSet<>((List<R>) items);
    }

    @Override
    public <R> Optional<R> getSecondaryResource(Class<R> type, String name) {
        return getSecondaryResources(type).stream().filter(r -> ((HasMetadata) r).getMetadata().getName().equals(name))
                .findFirst();
    }

    @Override
    public IndexedResourceCache<P> getPrimaryCache() {
        @SuppressWarnings("unchecked")
        Class<P> type = (Class<P>) primary.getClass();
        ListedSource<P, P> all = new ListedSource<>(client, type);
        return new IndexedResourceCache<>() {
            @Override
            public List<P> byIndex(String indexName, String indexKey) {
                throw new UnsupportedOperationException();
            }

            @Override
            public Stream<P> list(String namespace, Predicate<P> predicate) {
                return all.list(p -> namespace.equals(p.getMetadata().getNamespace()) && predicate.test(p));
            }

            @Override
            public Optional<P> get(ResourceID id) {
                return all.get(id);
            }

            @Override
            public Stream<ResourceID> keys() {
                return all.keys();
            }

            @Override
            public Stream<P> list(Predicate<P> predicate) {
                return all.list(predicate);
            }
        };
    }

    @Override
    public EventSourceRetriever<P> eventSourceRetriever() {
        return new EventSourceRetriever<>() {
            @Override
            @SuppressWarnings("unchecked")
            public <R> EventSource<R, P> getEventSourceFor(Class<R> type, String name) {
                return (EventSource<R, P>) Optional.ofNullable(sources.get(name))
                        .orElseThrow(() -> new IllegalStateException("no event source " + name + " in this test"));
            }

            @Override
            public <R> List<EventSource<R, P>> getEventSourcesFor(Class<R> type) {
                throw new UnsupportedOperationException();
            }

            @Override
            public ControllerEventSource<P> getControllerEventSource() {
                throw new UnsupportedOperationException();
            }

            @Override
            public <R> EventSource<R, P> dynamicallyRegisterEventSource(EventSource<R, P> source) {
                throw new UnsupportedOperationException();
            }

            @Override
            public <R> Optional<EventSource<R, P>> dynamicallyDeRegisterEventSource(String name) {
                throw new UnsupportedOperationException();
            }

            @Override
            public EventSourceContext<P> eventSourceContextForDynamicRegistration() {
                throw new UnsupportedOperationException();
            }
        };
    }

    /** The reconcile is JOSDK's retry number {@code attempt} (the last one when {@code last}). */
    public TestContext<P> retry(int attempt, boolean last) {
        retry = new RetryInfo() {
            @Override
            public int getAttemptCount() {
                return attempt;
            }

            @Override
            public boolean isLastAttempt() {
                return last;
            }
        };
        return this;
    }

    @Override
    public Optional<RetryInfo> getRetryInfo() {
        return Optional.ofNullable(retry);
    }

    /** A controller watching every namespace: all that reconcilers read of their configuration. */
    @Override
    public ControllerConfiguration<P> getControllerConfiguration() {
        return new ControllerConfiguration<>() {
            @Override
            public Set<String> getEffectiveNamespaces() {
                return Constants.WATCH_ALL_NAMESPACE_SET;
            }

            @Override
            public String getAssociatedReconcilerClassName() {
                throw new UnsupportedOperationException();
            }

            @Override
            public ConfigurationService getConfigurationService() {
                throw new UnsupportedOperationException();
            }

            @Override
            public <C> C getConfigurationFor(DependentResourceSpec<?, P, C> spec) {
                throw new UnsupportedOperationException();
            }

            @Override
            public InformerConfiguration<P> getInformerConfig() {
                throw new UnsupportedOperationException();
            }
        };
    }

    @Override
    public ManagedWorkflowAndDependentResourceContext managedWorkflowAndDependentResourceContext() {
        throw new UnsupportedOperationException();
    }

    @Override
    public KubernetesClient getClient() {
        return client;
    }

    @Override
    public ExecutorService getWorkflowExecutorService() {
        throw new UnsupportedOperationException();
    }

    @Override
    public P getPrimaryResource() {
        return primary;
    }

    @Override
    public boolean isNextReconciliationImminent() {
        return false;
    }

    @Override
    public boolean isPrimaryResourceDeleted() {
        return false;
    }

    @Override
    public boolean isPrimaryResourceFinalStateUnknown() {
        return false;
    }
}

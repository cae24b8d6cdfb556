package io.backtrack.controller.storage;

import io.backtrack.api.backup.Backup;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.api.model.ListOptions;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.AnyNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.javaoperatorsdk.operator.api.config.informer.InformerConfiguration;

import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Every Backup in the namespaces the operator watches, read from the API server a page at a time when a sync probe
 * starts. A sync needs them once per probe (every sync.interval, a minute at the least), so an informer kept for it
 * would hold a second copy of every Backup, and decode every change to one a second time, between probes that read
 * the set only once (docs/performance.md, the operator's levers).
 */
final class BackupPages {
    /** Backups per list request: the API server's memory for one page, not for every Backup. */
    static final long PAGE = 500;

    private BackupPages() {
    }

    /** The Backups of {@code namespaces} (or of every namespace, when all are watched), read as the stream is. */
    static Stream<Backup> all(KubernetesClient client, Set<String> namespaces) {
        return all(client, namespaces, PAGE);
    }

    static Stream<Backup> all(KubernetesClient client, Set<String> namespaces, long pageSize) {
        MixedOperation<Backup, KubernetesResourceList<Backup>, Resource<Backup>> backups = client.resources(Backup.class);
        Stream<AnyNamespaceOperation<Backup, KubernetesResourceList<Backup>, Resource<Backup>>> scopes =
                InformerConfiguration.allNamespacesWatched(namespaces) ? Stream.of(backups.inAnyNamespace())
                        : namespaces.stream().sorted().map(backups::inNamespace);
        return scopes.flatMap(scope -> pages(scope, pageSize));
    }

    private static Stream<Backup> pages(AnyNamespaceOperation<Backup, KubernetesResourceList<Backup>, Resource<Backup>> scope,
                                        long pageSize) {
        return Stream.iterate(scope.list(page(pageSize, null)), Objects::nonNull, last -> {
            String next = last.getMetadata() == null ? null : last.getMetadata().getContinue();
            return next == null || next.isEmpty() ? null : scope.list(page(pageSize, next));
        }).flatMap(page -> page.getItems().stream());
    }

    private static ListOptions page(long pageSize, String continueToken) {
        return new ListOptionsBuilder().withLimit(pageSize).withContinue(continueToken).build();
    }
}

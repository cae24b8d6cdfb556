package io.backtrack.controller.storage;

import io.backtrack.api.backup.Backup;
import io.fabric8.kubernetes.api.model.DefaultKubernetesResourceList;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.api.model.ListMetaBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A sync reads every Backup page by page, following the API server's continue tokens to the last page, and only in
 * the namespaces the operator watches.
 */
@EnableKubernetesMockClient
class BackupPagesTest {
    private static final String ALL = "/apis/backtrack.io/v1alpha1/backups";

    KubernetesClient client;
    KubernetesMockServer server;

    @Test
    void followsContinueTokensToTheLastPage() {
        server.expect().get().withPath(ALL + "?limit=2").andReturn(200, page("c1", "shop/a", "shop/b")).once();
        server.expect().get().withPath(ALL + "?continue=c1&limit=2").andReturn(200, page("c2", "shop/c", "billing/d"))
                .once();
        server.expect().get().withPath(ALL + "?continue=c2&limit=2").andReturn(200, page(null, "billing/e")).once();

        assertThat(names(BackupPages.all(client, Constants.WATCH_ALL_NAMESPACE_SET, 2).toList()))
                .containsExactly("shop/a", "shop/b", "shop/c", "billing/d", "billing/e");
    }

    @Test
    void readsOnlyTheWatchedNamespaces() {
        server.expect().get().withPath("/apis/backtrack.io/v1alpha1/namespaces/billing/backups?limit=500")
                .andReturn(200, page(null, "billing/d")).once();
        server.expect().get().withPath("/apis/backtrack.io/v1alpha1/namespaces/shop/backups?limit=500")
                .andReturn(200, page(null, "shop/a")).once();

        assertThat(names(BackupPages.all(client, Set.of("shop", "billing")).toList()))
                .containsExactly("billing/d", "shop/a");
    }

    private static KubernetesResourceList<Backup> page(String next, String... backups) {
        var list = new DefaultKubernetesResourceList<Backup>();
        list.setApiVersion("backtrack.io/v1alpha1");
        list.setKind("BackupList");
        list.setMetadata(new ListMetaBuilder().withContinue(next).build());
        list.setItems(Arrays.stream(backups).map(b -> {
            Backup backup = new Backup();
            backup.setMetadata(new ObjectMetaBuilder().withNamespace(b.split("/")[0]).withName(b.split("/")[1]).build());
            return backup;
        }).toList());
        return list;
    }

    private static List<String> names(List<Backup> backups) {
        return backups.stream().map(b -> b.getMetadata().getNamespace() + "/" + b.getMetadata().getName()).toList();
    }
}

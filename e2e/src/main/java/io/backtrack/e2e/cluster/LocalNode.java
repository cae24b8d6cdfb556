package io.backtrack.e2e.cluster;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kubelet's registration of this machine as a Node: capacity and allocatable (this machine's cores and memory,
 * 110 Pods), Ready=True with the usual pressure conditions, and a Lease in {@code kube-node-lease} renewed every
 * 10 s, which keeps the node lifecycle controller from marking the Node Unknown and tainting it.
 */
final class LocalNode implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LocalNode.class);
    static final int LEASE_SECONDS = 40;
    static final int RENEW_SECONDS = 10;

    private final KubernetesClient client;
    private final String name;
    private final ScheduledExecutorService renewer;

    private LocalNode(KubernetesClient client, String name) {
        this.client = client;
        this.name = name;
        this.renewer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "node-lease-" + name);
            t.setDaemon(true);
            return t;
        });
    }

    static LocalNode register(KubernetesClient client, String name, Map<String, String> labels, List<Taint> taints) {
        LocalNode node = new LocalNode(client, name);
        node.create(labels, taints);
        node.renewer.scheduleWithFixedDelay(node::renewQuietly, RENEW_SECONDS, RENEW_SECONDS, TimeUnit.SECONDS);
        return node;
    }

    String name() {
        return name;
    }

    private void create(Map<String, String> extraLabels, List<Taint> taints) {
        String version = client.getKubernetesVersion().getGitVersion();
        Map<String, Quantity> capacity = Map.of(
                "cpu", new Quantity(Integer.toString(Runtime.getRuntime().availableProcessors())),
                "memory", new Quantity(Long.toString(physicalMemory())),
                "ephemeral-storage", new Quantity("100Gi"),
                "pods", new Quantity("110"));
        Node node = new NodeBuilder()
                .withNewMetadata().withName(name)
                .addToLabels("kubernetes.io/hostname", name)
                .addToLabels("kubernetes.io/os", "linux")
                .addToLabels("kubernetes.io/arch", arch())
                .addToLabels(extraLabels)
                .endMetadata()
                .withNewSpec().withTaints(taints.isEmpty() ? null : taints).endSpec()
                .build();
        client.nodes().resource(node).create();
        String now = now();
        var status = new io.fabric8.kubernetes.api.model.NodeStatusBuilder()
                .withCapacity(capacity).withAllocatable(capacity)
                .withConditions(condition("MemoryPressure", "False", "KubeletHasSufficientMemory", now),
                        condition("DiskPressure", "False", "KubeletHasNoDiskPressure", now),
                        condition("PIDPressure", "False", "KubeletHasSufficientPID", now),
                        condition("Ready", "True", "KubeletReady", now))
                .addNewAddress().withType("InternalIP").withAddress("127.0.0.1").endAddress()
                .addNewAddress().withType("Hostname").withAddress(name).endAddress()
                .withNewNodeInfo().withKubeletVersion(version).withOperatingSystem("linux").withArchitecture(arch())
                .withContainerRuntimeVersion("backtrack-node-runner://" + version).withOsImage(System.getProperty("os.name"))
                .withKernelVersion(System.getProperty("os.version")).withMachineID("").withSystemUUID("").withBootID("")
                .endNodeInfo()
                .build();
        // The node lifecycle controller may write the new Node meanwhile: on a conflict, read it again.
        for (int attempt = 1; ; attempt++) {
            Node registered = client.nodes().withName(name).get();
            registered.setStatus(status);
            try {
                client.nodes().resource(registered).updateStatus();
                break;
            } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
                if (e.getCode() != 409 || attempt == 10) {
                    throw e;
                }
            }
        }
        client.leases().inNamespace("kube-node-lease").resource(lease(null)).create();
        LOG.info("registered Node {} ({} cpu, {} memory)", name, capacity.get("cpu"), capacity.get("memory"));
    }

    private Lease lease(Lease current) {
        ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
        LeaseBuilder b = current == null ? new LeaseBuilder().withNewMetadata().withName(name)
                .withNamespace("kube-node-lease").endMetadata() : new LeaseBuilder(current);
        return b.editOrNewSpec().withHolderIdentity(name).withLeaseDurationSeconds(LEASE_SECONDS).withRenewTime(now)
                .endSpec().build();
    }

    private void renewQuietly() {
        try {
            Lease current = client.leases().inNamespace("kube-node-lease").withName(name).get();
            if (current == null) {
                client.leases().inNamespace("kube-node-lease").resource(lease(null)).create();
            } else {
                client.leases().inNamespace("kube-node-lease").resource(lease(current)).update();
            }
        } catch (RuntimeException e) {
            LOG.warn("cannot renew the Lease of Node {}: {}", name, e.toString());
        }
    }

    /** Stops renewing the Lease (the control plane then marks the Node unreachable, as when a kubelet stops). */
    @Override
    public void close() {
        renewer.shutdownNow();
    }

    private static NodeCondition condition(String type, String status, String reason, String now) {
        return new NodeConditionBuilder().withType(type).withStatus(status).withReason(reason)
                .withLastHeartbeatTime(now).withLastTransitionTime(now).build();
    }

    static String now() {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    }

    private static String arch() {
        String arch = System.getProperty("os.arch");
        return switch (arch) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64" -> "arm64";
            default -> arch;
        };
    }

    private static long physicalMemory() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getTotalMemorySize();
        }
        return 8L << 30;
    }
}

package io.backtrack.e2e.chart;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import io.backtrack.api.job.JobSettings;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.backtrack.e2e.chart.ChartFixture.NAMESPACE;
import static io.backtrack.e2e.chart.ChartFixture.at;
import static io.backtrack.e2e.chart.ChartFixture.render;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Lints helm/backtrack and renders it with the value sets users run it with; checks what comes out. */
class ChartRenderTest {
    private static final String VERSION = System.getProperty("backtrack.version");
    private static final String REGISTRY = System.getProperty("backtrack.image.registry");
    private static final String AGENT = REGISTRY + "/" + System.getProperty("backtrack.image.agent") + ":" + VERSION;
    private static final String CONTROLLER = REGISTRY + "/" + System.getProperty("backtrack.image.controller") + ":" + VERSION;

    @Test
    void lintsCleanInStrictMode() {
        LintResult lint = new Helm(ChartFixture.chart()).lint().strict().call();
        assertThat(lint.isFailed()).as("helm lint --strict: %s", lint.getMessages()).isFalse();
        assertThat(lint.getMessages()).noneMatch(m -> m.contains("[ERROR]") || m.contains("[WARNING]"));
    }

    @Test
    void defaultsInstallTheOperatorWatchingAllNamespaces() {
        var out = render();
        assertThat(out.kinds()).containsExactlyInAnyOrder("ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Role",
                "RoleBinding", "Service", "Deployment");
        assertThat(out.objects()).allSatisfy(o -> {
            if (!List.of("ClusterRole", "ClusterRoleBinding").contains(o.get("kind"))) {
                assertThat((String) at(o, "metadata", "namespace")).as("namespace of %s", o.get("kind")).isEqualTo(NAMESPACE);
            }
            assertThat((String) at(o, "metadata", "labels", "app.kubernetes.io/version")).isEqualTo(VERSION);
        });
        Map<String, Object> deployment = out.one("Deployment");
        assertThat((Integer) at(deployment, "spec", "replicas")).isEqualTo(1);
        assertThat((String) at(out.operatorContainer(), "image")).isEqualTo(CONTROLLER);
        Map<String, String> env = out.operatorEnv();
        assertThat(env).containsEntry("BACKTRACK_AGENT_IMAGE", AGENT)
                .containsEntry("BACKTRACK_AGENT_IMAGE_PULL_POLICY", "IfNotPresent")
                .containsEntry("BACKTRACK_AGENT_RUN_AS_USER", "65532")
                .containsEntry("BACKTRACK_LEADER_ELECTION_ENABLED", "true")
                .containsEntry("BACKTRACK_LEADER_ELECTION_LEASE_NAME", "backtrack-operator-lock")
                .containsEntry("BACKTRACK_LEADER_ELECTION_LEASE_NAMESPACE", "$(POD_NAMESPACE)")
                .containsEntry("BACKTRACK_LEADER_ELECTION_IDENTITY", "$(POD_NAME)")
                .doesNotContainKeys("QUARKUS_OPERATOR_SDK_NAMESPACES");
        JobSettings defaults = Serialization.unmarshal(env.get("BACKTRACK_AGENT_JOB_DEFAULTS"), JobSettings.class);
        assertThat(defaults.activeDeadlineSeconds()).isEqualTo(3600L);
        assertThat(defaults.backoffLimit()).isEqualTo(2);
        assertThat(defaults.resources().getRequests()).as("what a ResourceQuota on requests demands")
                .containsKeys("cpu", "memory");
        assertThat(defaults.resources().getLimits()).as("what a ResourceQuota on limits demands").containsKeys("cpu", "memory");
        // $(VAR) references only work for variables defined earlier in the list.
        List<String> names = List.copyOf(env.keySet());
        assertThat(names.indexOf("POD_NAMESPACE")).isLessThan(names.indexOf("BACKTRACK_LEADER_ELECTION_LEASE_NAMESPACE"));
        assertThat(names.indexOf("POD_NAME")).isLessThan(names.indexOf("BACKTRACK_LEADER_ELECTION_IDENTITY"));
        assertThat((String) at(deployment, "spec", "template", "spec", "serviceAccountName"))
                .isEqualTo(at(out.one("ServiceAccount"), "metadata", "name"));
        assertThat((String) at(out.one("Service"), "spec", "ports", "0", "targetPort")).isEqualTo("http");
    }

    @Test
    void theOperatorPodIsLockedDown() {
        var out = render();
        Map<String, Object> pod = at(out.one("Deployment"), "spec", "template", "spec");
        assertThat((Boolean) at(pod, "securityContext", "runAsNonRoot")).isTrue();
        assertThat((Integer) at(pod, "securityContext", "runAsUser")).isPositive();
        assertThat((String) at(pod, "securityContext", "seccompProfile", "type")).isEqualTo("RuntimeDefault");
        assertThat(pod).doesNotContainKeys("hostNetwork", "hostPID", "hostIPC");
        Map<String, Object> container = out.operatorContainer();
        assertThat((Boolean) at(container, "securityContext", "readOnlyRootFilesystem")).isTrue();
        assertThat((Boolean) at(container, "securityContext", "allowPrivilegeEscalation")).isFalse();
        assertThat((Boolean) at(container, "securityContext", "runAsNonRoot")).isTrue();
        assertThat((List<String>) at(container, "securityContext", "capabilities", "drop")).containsExactly("ALL");
        assertThat((Object) at(container, "securityContext", "capabilities", "add")).isNull();
        assertThat((Object) at(container, "securityContext", "privileged")).isNull();
        // Quarkus needs a writable /tmp on the read-only root filesystem.
        assertThat((String) at(container, "volumeMounts", "0", "mountPath")).isEqualTo("/tmp");
        String volume = at(container, "volumeMounts", "0", "name");
        List<Map<String, Object>> volumes = at(pod, "volumes");
        assertThat(volumes).anySatisfy(v -> {
            assertThat(v.get("name")).isEqualTo(volume);
            assertThat(v).containsKey("emptyDir");
        });
        assertThat((String) at(container, "livenessProbe", "httpGet", "path")).isEqualTo("/q/health/live");
        assertThat((String) at(container, "readinessProbe", "httpGet", "path")).isEqualTo("/q/health/ready");
        assertThat((String) at(container, "startupProbe", "httpGet", "path")).isEqualTo("/q/health/live");
        assertThat((String) at(container, "readinessProbe", "httpGet", "port")).isEqualTo("http");
        assertThat((Integer) at(container, "ports", "0", "containerPort")).isEqualTo(8080);
        assertThat((String) at(container, "resources", "requests", "memory")).isNotBlank();
        assertThat((String) at(container, "resources", "limits", "memory")).isNotBlank();
    }

    @Test
    void watchingAListOfNamespacesUsesRolesThereAndTellsTheOperator() {
        var out = render(Map.of("watchNamespaces[0]", "shop", "watchNamespaces[1]", "billing"));
        assertThat(out.operatorEnv()).containsEntry("QUARKUS_OPERATOR_SDK_NAMESPACES", "shop,billing");
        for (String ns : List.of("shop", "billing")) {
            assertThat(out.find("Role", ns, "backtrack")).as("Role in %s", ns).isPresent();
            Map<String, Object> binding = out.find("RoleBinding", ns, "backtrack").orElseThrow();
            assertThat((String) at(binding, "subjects", "0", "namespace")).isEqualTo(NAMESPACE);
            assertThat((String) at(binding, "roleRef", "kind")).isEqualTo("Role");
        }
        assertThat(out.ofKind("Role")).extracting(r -> (String) at(r, "metadata", "namespace"))
                .containsExactlyInAnyOrder("shop", "billing", NAMESPACE, NAMESPACE); // leader election, Events
        // Nothing cluster-wide (OperatorRbacTest checks the exact rules).
        assertThat(out.ofKind("ClusterRole")).isEmpty();
        assertThat(out.ofKind("ClusterRoleBinding")).isEmpty();
    }

    @Test
    void twoReplicasElectALeader() {
        var out = render(Map.of("replicaCount", 2));
        assertThat((Integer) at(out.one("Deployment"), "spec", "replicas")).isEqualTo(2);
        assertThat(out.operatorEnv()).containsEntry("BACKTRACK_LEADER_ELECTION_ENABLED", "true");
        Map<String, Object> leaseRole = out.find("Role", NAMESPACE, "backtrack-leader-election").orElseThrow();
        assertThat((List<String>) at(leaseRole, "rules", "0", "resources")).containsExactly("leases");

        assertThatThrownBy(() -> render(Map.of("replicaCount", 2, "leaderElection.enabled", false)))
                .hasMessageContaining("replicaCount > 1 needs leaderElection.enabled=true");
        var single = render(Map.of("leaderElection.enabled", false));
        assertThat(single.operatorEnv()).containsEntry("BACKTRACK_LEADER_ELECTION_ENABLED", "false");
        assertThat(single.find("Role", NAMESPACE, "backtrack-leader-election")).isEmpty();
    }

    @Test
    void metricsOnAddsServiceMonitorAndTheAlertRulesFile() {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("metrics.serviceMonitor.enabled", true);
        values.put("metrics.serviceMonitor.labels.release", "prometheus");
        values.put("metrics.prometheusRule.enabled", true);
        var out = render(values);
        Map<String, Object> monitor = out.one("ServiceMonitor");
        assertThat((String) at(monitor, "apiVersion")).isEqualTo("monitoring.coreos.com/v1");
        assertThat((String) at(monitor, "metadata", "labels", "release")).isEqualTo("prometheus");
        assertThat((String) at(monitor, "spec", "endpoints", "0", "port")).isEqualTo("http");
        assertThat((String) at(monitor, "spec", "endpoints", "0", "path")).isEqualTo("/q/metrics");
        Map<String, Object> selector = at(monitor, "spec", "selector", "matchLabels");
        assertThat((Map<String, Object>) at(out.one("Service"), "spec", "selector")).isEqualTo(selector);

        Map<String, Object> rule = out.one("PrometheusRule");
        Map<String, Object> file = ChartFixture.readYaml(ChartFixture.chart().resolve("files/prometheus-rules.yaml"));
        assertThat((Object) at(rule, "spec", "groups")).as("PrometheusRule groups = files/prometheus-rules.yaml groups")
                .isEqualTo(file.get("groups"));
    }

    @Test
    void imagesCanBeMovedAndPinned() {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("image.registry", "registry.example.com/platform");
        values.put("agent.image.registry", "registry.example.com/platform");
        values.put("agent.image.tag", "9.9.9");
        values.put("image.digest", "sha256:" + "a".repeat(64));
        var out = render(values);
        assertThat((String) at(out.operatorContainer(), "image"))
                .isEqualTo("registry.example.com/platform/backtrack-controller@sha256:" + "a".repeat(64));
        assertThat(out.operatorEnv()).containsEntry("BACKTRACK_AGENT_IMAGE", "registry.example.com/platform/backtrack-agent:9.9.9");
    }

    @Test
    void theSchemaRefusesBadValues() {
        assertThatThrownBy(() -> render(Map.of("watchNamespace[0]", "shop"))).hasMessageContaining("watchNamespace");
        assertThatThrownBy(() -> render(Map.of("logLevel", "LOUD"))).hasMessageContaining("logLevel");
        assertThatThrownBy(() -> render(Map.of("watchNamespaces[0]", "Shop_1"))).hasMessageContaining("watchNamespaces");
        assertThatThrownBy(() -> render(Map.of("agent.image.digest", "latest"))).hasMessageContaining("digest");
        assertThatThrownBy(() -> render(Map.of("jobDefaults.ttlSecondsAfterFinished", 10))).hasMessageContaining("ttlSecondsAfterFinished");
        assertThatThrownBy(() -> render(Map.of("jobDefaults.podLabels.job-name", "x"))).hasMessageContaining("job-name");
        assertThatThrownBy(() -> render(Map.of("jobDefaults.resources.limits.memory", "lots"))).hasMessageContaining("memory");
        assertThatThrownBy(() -> render(Map.of("agent.activeDeadlineSeconds", 60))).as("moved to jobDefaults")
                .hasMessageContaining("activeDeadlineSeconds");
    }

    @Test
    void jobDefaultsReachTheOperatorAsOneJsonObjectOfTheShapeOfSpecJob() {
        var out = render(Map.of("jobDefaults.podAnnotations.example\\.com/team", "orders",
                "jobDefaults.serviceAccountName", "backup-agent", "jobDefaults.ttlSecondsAfterFinished", 86400,
                "jobDefaults.priorityClassName", "backups"));
        JobSettings defaults = Serialization.unmarshal(out.operatorEnv().get("BACKTRACK_AGENT_JOB_DEFAULTS"), JobSettings.class);
        assertThat(defaults.podAnnotations()).containsExactly(Map.entry("example.com/team", "orders"));
        assertThat(defaults.serviceAccountName()).isEqualTo("backup-agent");
        assertThat(defaults.ttlSecondsAfterFinished()).isEqualTo(86400);
        assertThat(defaults.priorityClassName()).isEqualTo("backups");
    }

    @Test
    void theGrafanaDashboardIsAConfigMapForTheSidecarOnlyWhenAskedFor() throws java.io.IOException {
        assertThat(render().objects()).noneMatch(o -> "ConfigMap".equals(o.get("kind")));
        var out = render(Map.of("metrics.grafanaDashboard.enabled", true,
                "metrics.grafanaDashboard.annotations.grafana_folder", "Backups"));
        Map<String, Object> cm = out.one("ConfigMap");
        assertThat((String) at(cm, "metadata", "labels", "grafana_dashboard")).isEqualTo("1");
        assertThat((String) at(cm, "metadata", "annotations", "grafana_folder")).isEqualTo("Backups");
        assertThat((String) at(cm, "metadata", "namespace")).isEqualTo(NAMESPACE);
        assertThat((String) at(cm, "data", "backtrack.json")).isEqualTo(java.nio.file.Files.readString(
                ChartFixture.chart().resolve("files/grafana-dashboard.json")).stripTrailing());
        assertThat((String) at(render(Map.of("metrics.grafanaDashboard.enabled", true,
                "metrics.grafanaDashboard.namespace", "monitoring")).one("ConfigMap"), "metadata", "namespace"))
                .isEqualTo("monitoring");
    }

    @Test
    void createNamespaceRendersARestrictedNamespace() {
        var out = render(Map.of("createNamespace", true));
        Map<String, Object> ns = out.one("Namespace");
        assertThat((String) at(ns, "metadata", "name")).isEqualTo(NAMESPACE);
        assertThat((String) at(ns, "metadata", "labels", "pod-security.kubernetes.io/enforce")).isEqualTo("restricted");
    }
}

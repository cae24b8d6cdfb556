package io.backtrack.e2e.chart;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static io.backtrack.e2e.chart.ChartFixture.NAMESPACE;
import static io.backtrack.e2e.chart.ChartFixture.at;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Least privilege, proven against a checked-in list of every API call the operator makes
 * (src/test/resources/chart/operator-api-calls.yaml):
 * <ul>
 *   <li>the chart grants exactly the list's permissions, scope by scope, in both watch modes;</li>
 *   <li>every Kubernetes call site in the controller's source is named in the list and every named site exists, so
 *       the list cannot silently fall behind the code;</li>
 *   <li>the resources the reconcilers declare (primary resources, informers, status updates, finalizers) have the
 *       verbs the Java Operator SDK needs for them.</li>
 * </ul>
 * The Quarkus Operator SDK can generate RBAC (with quarkus-kubernetes), but only for primary and dependent
 * resources, with every verb on them; it knows nothing of the calls made through the client (Secrets, Pods, Events,
 * quiesced Deployments), so it can neither prove coverage nor minimality here.
 */
class OperatorRbacTest {
    private static final Path CALLS = Path.of("src/test/resources/chart/operator-api-calls.yaml");
    private static final Path SOURCES = Path.of("operator/controller/src/main/java/io/backtrack/controller");
    private static final List<String> SCOPES = List.of("watched", "operatorNamespace", "operatorEvents", "clusterWide");

    record Grant(String group, String resource, String verb) implements Comparable<Grant> {
        @Override
        public int compareTo(Grant o) {
            return toString().compareTo(o.toString());
        }

        @Override
        public String toString() {
            return (group.isEmpty() ? "core" : group) + "/" + resource + ":" + verb;
        }
    }

    record Site(String file, String text) {
    }

    record Call(String scope, String group, String resource, List<String> verbs, String why, List<Site> sites) {
    }

    @Test
    void allNamespacesModeGrantsExactlyTheListedCalls() {
        var out = ChartFixture.render();
        assertThat(out.ofKind("ClusterRole")).hasSize(1);
        assertThat(grants(out.one("ClusterRole"))).as("ClusterRole = watched + clusterWide calls")
                .isEqualTo(union(expected("watched"), expected("clusterWide")));
        assertThat(grants(out.one("ClusterRole"))).as("the ClusterRole covers the operator's namespace's Events")
                .containsAll(expected("operatorEvents"));
        assertThat(out.ofKind("Role")).hasSize(1);
        Map<String, Object> lease = out.find("Role", NAMESPACE, "backtrack-leader-election").orElseThrow();
        assertThat(grants(lease)).as("Role in the operator's namespace").isEqualTo(expected("operatorNamespace"));
        assertBindingsTargetTheOperator(out);
    }

    @Test
    void listedNamespacesModeGrantsTheListedCallsOnlyThere() {
        var out = ChartFixture.render(Map.of("watchNamespaces[0]", "shop", "watchNamespaces[1]", "billing"));
        for (String ns : List.of("shop", "billing")) {
            assertThat(grants(out.find("Role", ns, "backtrack").orElseThrow())).as("Role in %s", ns)
                    .isEqualTo(expected("watched"));
        }
        assertThat(grants(out.find("Role", NAMESPACE, "backtrack-leader-election").orElseThrow()))
                .isEqualTo(expected("operatorNamespace"));
        assertThat(grants(out.find("Role", NAMESPACE, "backtrack-events").orElseThrow())).as("Role for Events in %s", NAMESPACE)
                .isEqualTo(expected("operatorEvents"));
        assertThat(out.ofKind("Role")).hasSize(4);
        assertThat(expected("clusterWide")).as("the operator needs nothing cluster-wide").isEmpty();
        assertThat(out.ofKind("ClusterRole")).as("nothing cluster-wide when watching a list of namespaces").isEmpty();
        assertBindingsTargetTheOperator(out);
    }

    @Test
    void aWatchedReleaseNamespaceNeedsNoRoleOfItsOwnForEvents() {
        var out = ChartFixture.render(Map.of("watchNamespaces[0]", "shop", "watchNamespaces[1]", NAMESPACE));
        assertThat(out.find("Role", NAMESPACE, "backtrack-events")).isEmpty();
        assertThat(grants(out.find("Role", NAMESPACE, "backtrack").orElseThrow())).containsAll(expected("operatorEvents"));
        assertBindingsTargetTheOperator(out);
    }

    @Test
    void withoutLeaderElectionThereIsNoLeaseAccess() {
        var out = ChartFixture.render(Map.of("leaderElection.enabled", false));
        assertThat(out.ofKind("Role")).isEmpty();
        assertThat(out.objects()).flatExtracting(o -> o.get("kind").toString().endsWith("Role") ? grants(o) : Set.<Grant>of())
                .noneMatch(g -> g.resource().equals("leases"));
    }

    @Test
    void everyCallSiteInTheControllerIsListedAndEveryListedSiteExists() throws IOException {
        Path sources = ChartFixture.root().resolve(SOURCES);
        Map<String, List<String>> files = sourceFiles(sources);
        List<Site> sites = calls().stream().flatMap(c -> c.sites().stream()).toList();

        List<String> stale = sites.stream()
                .filter(s -> !files.containsKey(s.file()) || files.get(s.file()).stream().noneMatch(l -> l.contains(s.text())))
                .map(s -> s.file() + ": " + s.text()).distinct().toList();
        assertThat(stale).as("sites in operator-api-calls.yaml that no longer exist in the code: update the list "
                + "(and the chart's RBAC when a call went away)").isEmpty();

        Pattern callSite = callSitePattern(files);
        List<String> unlisted = new ArrayList<>();
        files.forEach((file, lines) -> {
            for (String line : lines) {
                String code = line.strip();
                if (code.startsWith("*") || code.startsWith("//") || code.startsWith("/*") || !callSite.matcher(code).find()) {
                    continue;
                }
                boolean listed = sites.stream().anyMatch(s -> s.file().equals(file) && code.contains(s.text()));
                if (!listed) {
                    unlisted.add(file + ": " + code);
                }
            }
        });
        assertThat(unlisted).as("Kubernetes API calls in the controller that operator-api-calls.yaml does not name: "
                + "list each (with its verbs) and grant it in helm/backtrack/templates/_helpers.tpl").isEmpty();
    }

    @Test
    void theReconcilersDeclaredResourcesHaveTheVerbsTheSdkNeeds() throws IOException {
        Map<String, Grant> types = resourceTypes();
        Map<String, List<String>> files = sourceFiles(ChartFixture.root().resolve(SOURCES));
        Set<Grant> granted = expected("watched");
        Set<Grant> needed = new TreeSet<>();
        Pattern reconciler = Pattern.compile("implements\\s+[^{]*\\bReconciler<(\\w+)>");
        Pattern cleaner = Pattern.compile("\\bCleaner<(\\w+)>");
        Pattern informer = Pattern.compile("InformerEventSourceConfiguration\\.from\\((\\w+)\\.class");
        int primaries = 0;
        for (var file : files.entrySet()) {
            String text = String.join("\n", file.getValue());
            for (Matcher m = reconciler.matcher(text); m.find(); ) {
                primaries++;
                Grant t = type(types, m.group(1), file.getKey());
                for (String verb : List.of("get", "list", "watch")) {
                    needed.add(new Grant(t.group(), t.resource(), verb));
                }
                if (text.contains("UpdateControl.patchStatus(")) {
                    needed.add(new Grant(t.group(), t.resource() + "/status", "patch"));
                }
            }
            for (Matcher m = cleaner.matcher(text); m.find(); ) {
                Grant t = type(types, m.group(1), file.getKey());
                needed.add(new Grant(t.group(), t.resource(), "patch")); // JOSDK adds and removes its finalizer
            }
            for (Matcher m = informer.matcher(text); m.find(); ) {
                Grant t = type(types, m.group(1), file.getKey());
                needed.add(new Grant(t.group(), t.resource(), "list"));
                needed.add(new Grant(t.group(), t.resource(), "watch"));
            }
        }
        assertThat(primaries).as("reconcilers found in %s", SOURCES).isGreaterThanOrEqualTo(3);
        assertThat(granted).containsAll(needed);
    }

    @Test
    void theListIsWellFormed() {
        List<Call> calls = calls();
        assertThat(calls).allSatisfy(c -> {
            assertThat(c.why()).as("why for %s", c.resource()).isNotBlank();
            assertThat(c.sites()).as("sites for %s", c.resource()).isNotEmpty();
            assertThat(c.verbs()).as("verbs for %s", c.resource()).isNotEmpty()
                    .allMatch(v -> Set.of("get", "list", "watch", "create", "update", "patch", "delete").contains(v));
        });
        assertThat(expected("watched")).noneMatch(g -> g.resource().equals("*") || g.verb().equals("*"));
    }

    // --- the list ---

    @SuppressWarnings("unchecked")
    static List<Call> calls() {
        Map<String, Object> doc = ChartFixture.readYaml(ChartFixture.root().resolve("e2e").resolve(CALLS));
        assertThat(doc.keySet()).containsExactlyInAnyOrderElementsOf(SCOPES);
        List<Call> calls = new ArrayList<>();
        for (String scope : SCOPES) {
            for (Map<String, Object> c : (List<Map<String, Object>>) doc.get(scope)) {
                List<Site> sites = java.util.Objects.requireNonNullElse((List<String>) c.get("sites"), List.<String>of()).stream().map(s -> {
                    int colon = s.indexOf(": ");
                    return new Site(s.substring(0, colon), s.substring(colon + 2));
                }).toList();
                calls.add(new Call(scope, (String) c.get("group"), (String) c.get("resource"), (List<String>) c.get("verbs"),
                        (String) c.get("why"), sites));
            }
        }
        return calls;
    }

    static Set<Grant> expected(String scope) {
        return calls().stream().filter(c -> c.scope().equals(scope))
                .flatMap(c -> c.verbs().stream().map(v -> new Grant(c.group(), c.resource(), v)))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static Set<Grant> union(Set<Grant> a, Set<Grant> b) {
        Set<Grant> all = new TreeSet<>(a);
        all.addAll(b);
        return all;
    }

    // --- the chart ---

    @SuppressWarnings("unchecked")
    static Set<Grant> grants(Map<String, Object> role) {
        Set<Grant> grants = new TreeSet<>();
        List<Map<String, Object>> rules = (List<Map<String, Object>>) role.get("rules");
        for (Map<String, Object> rule : rules == null ? List.<Map<String, Object>>of() : rules) {
            assertThat(rule).as("rules name resources, never resourceNames or nonResourceURLs")
                    .containsOnlyKeys("apiGroups", "resources", "verbs");
            for (String group : (List<String>) rule.get("apiGroups")) {
                for (String resource : (List<String>) rule.get("resources")) {
                    for (String verb : (List<String>) rule.get("verbs")) {
                        assertThat(List.of(group, resource, verb)).as("wildcard in %s", role.get("kind")).doesNotContain("*");
                        grants.add(new Grant(group, resource, verb));
                    }
                }
            }
        }
        return grants;
    }

    private static void assertBindingsTargetTheOperator(ChartFixture.Rendered out) {
        String sa = at(out.one("ServiceAccount"), "metadata", "name");
        List<Map<String, Object>> bindings = new ArrayList<>(out.ofKind("RoleBinding"));
        bindings.addAll(out.ofKind("ClusterRoleBinding"));
        assertThat(bindings).hasSize(out.ofKind("Role").size() + out.ofKind("ClusterRole").size());
        for (Map<String, Object> b : bindings) {
            assertThat((List<Object>) at(b, "subjects")).hasSize(1);
            assertThat((String) at(b, "subjects", "0", "kind")).isEqualTo("ServiceAccount");
            assertThat((String) at(b, "subjects", "0", "name")).isEqualTo(sa);
            assertThat((String) at(b, "subjects", "0", "namespace")).isEqualTo(NAMESPACE);
            String roleKind = at(b, "roleRef", "kind");
            String roleName = at(b, "roleRef", "name");
            String ns = at(b, "metadata", "namespace");
            assertThat(out.find(roleKind, roleKind.equals("Role") ? ns : null, roleName))
                    .as("%s %s bound by %s", roleKind, roleName, at(b, "metadata", "name")).isPresent();
        }
    }

    // --- the code ---

    private static Map<String, List<String>> sourceFiles(Path dir) throws IOException {
        Map<String, List<String>> files = new LinkedHashMap<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
                files.put(dir.relativize(p).toString().replace('\\', '/'), Files.readAllLines(p));
            }
        }
        assertThat(files).as("controller sources under %s", dir).isNotEmpty();
        return files;
    }

    /** Lines that call the API server, or make the Java Operator SDK call it on their behalf. */
    private static Pattern callSitePattern(Map<String, List<String>> files) {
        Set<String> clients = new LinkedHashSet<>(List.of("client"));
        Pattern declared = Pattern.compile("\\bKubernetesClient\\s+(\\w+)");
        files.values().forEach(lines -> lines.forEach(l -> {
            for (Matcher m = declared.matcher(l); m.find(); ) {
                clients.add(m.group(1));
            }
        }));
        String names = String.join("|", clients);
        return Pattern.compile("\\b(" + names + ")\\.\\w+\\("
                + "|\\bgetClient\\(\\)"
                + "|CreateOnce\\.create\\("
                + "|InformerEventSourceConfiguration\\.from\\("
                + "|implements\\s+[^{]*\\b(Reconciler|Cleaner)<"
                + "|withBlockOwnerDeletion\\(true\\)"
                + "|new LeaderElectionConfiguration\\("
                + "|UpdateControl\\.(patchStatus|patchResource|patchResourceAndStatus)\\(");
    }

    /** Java type → API group and plural: the CRDs in crds/, and the built-in kinds the reconcilers use. */
    private static Map<String, Grant> resourceTypes() throws IOException {
        Map<String, Grant> types = new LinkedHashMap<>(Map.of(
                "Job", new Grant("batch", "jobs", ""),
                "Pod", new Grant("", "pods", ""),
                "Secret", new Grant("", "secrets", ""),
                "Deployment", new Grant("apps", "deployments", ""),
                "StatefulSet", new Grant("apps", "statefulsets", "")));
        try (Stream<Path> crds = Files.list(ChartFixture.root().resolve("crds"))) {
            for (Path crd : crds.filter(f -> f.toString().endsWith(".yml")).toList()) {
                Map<String, Object> doc = ChartFixture.readYaml(crd);
                types.put(at(doc, "spec", "names", "kind"),
                        new Grant(at(doc, "spec", "group"), at(doc, "spec", "names", "plural"), ""));
            }
        }
        return types;
    }

    private static Grant type(Map<String, Grant> types, String javaType, String file) {
        Grant t = types.get(javaType);
        assertThat(t).as("API resource of %s (declared in %s): add it to OperatorRbacTest.resourceTypes", javaType, file)
                .isNotNull();
        return t;
    }
}

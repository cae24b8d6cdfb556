package io.backtrack.e2e.harness;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.time.Duration;
import java.util.List;

/**
 * Pods that cannot go away, for as long as a test needs: a ValidatingAdmissionPolicy (and its binding) that refuses
 * the deletion of the Pods labelled {@code app: NAME} in a namespace. The real ReplicaSet controller keeps trying to
 * delete them, so a Deployment scaled to 0 keeps its replicas until {@link #release()}.
 */
public final class PodsStay {
    private final BacktrackEnvironment env;
    private final String namespace;
    private final String app;
    private final String name;

    private PodsStay(BacktrackEnvironment env, String namespace, String app) {
        this.env = env;
        this.namespace = namespace;
        this.app = app;
        this.name = "pods-stay-" + namespace + "-" + app;
    }

    /** Refuses the deletion of {@code app}'s Pods in {@code namespace} from now on (once the policy is in force). */
    public static PodsStay of(BacktrackEnvironment env, String namespace, String app) {
        PodsStay stay = new PodsStay(env, namespace, app);
        env.kubectlWithInput("""
                apiVersion: admissionregistration.k8s.io/v1
                kind: ValidatingAdmissionPolicy
                metadata: {name: %1$s}
                spec:
                  failurePolicy: Fail
                  matchConstraints:
                    resourceRules:
                    - {apiGroups: [""], apiVersions: [v1], operations: [DELETE], resources: [pods]}
                  validations:
                  - expression: "!has(oldObject.metadata.labels) || !('app' in oldObject.metadata.labels) || oldObject.metadata.labels['app'] != '%3$s'"
                    message: "%3$s's Pods stay (test policy %1$s)"
                ---
                apiVersion: admissionregistration.k8s.io/v1
                kind: ValidatingAdmissionPolicyBinding
                metadata: {name: %1$s}
                spec:
                  policyName: %1$s
                  validationActions: [Deny]
                  matchResources:
                    namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: %2$s}}
                """.formatted(stay.name, namespace, app), "apply", "-f", "-").ok();
        env.await("the policy keeping " + app + "'s Pods in force", () -> !stay.deletable(), Duration.ofSeconds(30));
        return stay;
    }

    /** Lets the Pods go: removes the policy, and nudges the ReplicaSet controller (which backs off between attempts). */
    public void release() {
        env.kubectl("delete", "validatingadmissionpolicybinding,validatingadmissionpolicy", name, "--ignore-not-found").ok();
        env.await("the policy keeping " + app + "'s Pods lifted", this::deletable, Duration.ofSeconds(30));
        for (Pod pod : pods()) {
            env.kubectl("annotate", "--overwrite", "-n", namespace, "pod", pod.getMetadata().getName(),
                    "backtrack.test/released=" + System.nanoTime());
        }
    }

    /** Whether the API server would now delete one of the Pods (a server-side dry run). */
    private boolean deletable() {
        List<Pod> pods = pods();
        if (pods.isEmpty()) {
            return true;
        }
        try {
            env.client().pods().inNamespace(namespace).withName(pods.get(0).getMetadata().getName()).dryRun().delete();
            return true;
        } catch (KubernetesClientException e) {
            return false;
        }
    }

    private List<Pod> pods() {
        return env.client().pods().inNamespace(namespace).withLabel("app", app).list().getItems();
    }
}

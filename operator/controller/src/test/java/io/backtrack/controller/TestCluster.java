package io.backtrack.controller;

import io.backtrack.api.backup.Backup;
import io.backtrack.api.restore.Restore;
import io.backtrack.controller.concurrency.ConcurrencyGate;
import io.backtrack.controller.concurrency.DueFirings;
import io.backtrack.controller.job.JobPods;
import io.backtrack.controller.metrics.BacktrackMetrics;
import io.backtrack.controller.retention.BackupPruner;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What the reconcilers run against in unit tests: an in-memory API server (the Fabric8 mock server in CRUD mode), a
 * clock that moves when the test says, recorded Events, and the operator's shared services over them (metrics, the
 * concurrency gate watching every Job and Restore, the pruner). Helpers put objects in place as the cluster would
 * have them.
 */
public final class TestCluster {
    public static final String NS = "shop";
    public static final String DB_SECRET = "orders-db";
    public static final String S3_SECRET = "s3-creds";

    public final KubernetesClient client;
    public final MovableClock clock;
    public final RecordedEvents events;
    public final BacktrackMetrics metrics;
    public final SimpleMeterRegistry registry;
    public final ConcurrencyGate gate;
    public final DueFirings firings = new DueFirings();
    public final BackupPruner pruner;
    public final ListedSource<Job, Backup> jobs;
    public final ListedSource<Restore, Backup> restores;

    public TestCluster(KubernetesClient client, Instant now) {
        this.client = client;
        this.clock = new MovableClock(now);
        this.events = new RecordedEvents(client, clock);
        this.registry = new SimpleMeterRegistry();
        this.metrics = new BacktrackMetrics(registry, client);
        this.gate = new ConcurrencyGate(TestConfig.INSTANCE, registry);
        this.jobs = new ListedSource<>(client, Job.class);
        this.restores = new ListedSource<>(client, Restore.class);
        gate.watch(jobs, restores);
        this.pruner = new BackupPruner(client, events, metrics);
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build())
                .create();
    }

    /**
     * The Pods of a Job that have not started, as the operator's informer has them (AgentPods: phase Pending), read
     * from the in-memory API server by the Job's job-name label.
     */
    public JobPods pendingPods() {
        return job -> client.pods().inNamespace(job.getMetadata().getNamespace())
                .withLabel("job-name", job.getMetadata().getName()).list().getItems().stream()
                .filter(p -> p.getStatus() != null && "Pending".equals(p.getStatus().getPhase()))
                .toList();
    }

    /** The database and S3 Secrets the test Backups and Restores name, with their default keys. */
    public TestCluster withSecrets() {
        secret(DB_SECRET, "username", "password");
        secret(S3_SECRET, "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY");
        return this;
    }

    public void secret(String name, String... keys) {
        client.secrets().inNamespace(NS).resource(new SecretBuilder().withNewMetadata().withName(name).endMetadata()
                .withStringData(Arrays.stream(keys).collect(Collectors.toMap(Function.identity(), k -> "x")))
                .build()).create();
    }

    /** Creates the object with its status (as the operator had written it), and returns it as the server has it. */
    public <T extends HasMetadata> T create(T object) {
        client.resource(object).create();
        return writeStatus(object);
    }

    /** Writes the object's status over the one the server has (as JOSDK patches a reconcile's status) and rereads it. */
    public <T extends HasMetadata> T writeStatus(T object) {
        object.getMetadata().setResourceVersion(reread(object).getMetadata().getResourceVersion());
        client.resource(object).updateStatus();
        return reread(object);
    }

    public <T extends HasMetadata> T reread(T object) {
        return client.resource(object).get();
    }

    /** The Job ended: Complete or Failed, with one Pod whose agent container ended with this exit code and message. */
    public Job finish(Job job, boolean succeeded, int exitCode, String terminationMessage) {
        Job done = client.batch().v1().jobs().inNamespace(NS).withName(job.getMetadata().getName()).get();
        done.setStatus(new JobStatusBuilder().withConditions(new JobConditionBuilder()
                .withType(succeeded ? "Complete" : "Failed").withStatus("True")
                .withReason(succeeded ? null : "PodFailurePolicy").build()).build());
        client.resource(done).updateStatus();
        Pod pod = new PodBuilder().withNewMetadata().withName(job.getMetadata().getName() + "-pod").withNamespace(NS)
                .withLabels(Map.of("job-name", job.getMetadata().getName())).endMetadata()
                .withNewStatus().addNewContainerStatus().withName("agent").withNewState().withNewTerminated()
                .withExitCode(exitCode).withMessage(terminationMessage).withFinishedAt("2026-11-22T02:00:30Z")
                .endTerminated().endState().endContainerStatus().endStatus().build();
        create(pod);
        return reread(done);
    }
}

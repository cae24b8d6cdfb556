package io.backtrack.controller.restore;

import io.backtrack.agent.cli.AgentMain;
import io.backtrack.api.BacktrackApi;
import io.backtrack.api.backup.Backup;
import io.backtrack.api.backup.BackupScope;
import io.backtrack.api.backup.BackupSpec;
import io.backtrack.api.backup.Compression;
import io.backtrack.api.backup.CompressionAlgorithm;
import io.backtrack.api.backup.DeletionPolicy;
import io.backtrack.api.database.DatabaseCredentials;
import io.backtrack.api.database.DatabaseSpec;
import io.backtrack.api.restore.Restore;
import io.backtrack.api.restore.RestoreScope;
import io.backtrack.api.restore.RestoreStrategy;
import io.backtrack.api.storage.S3Credentials;
import io.backtrack.api.storage.S3Storage;
import io.backtrack.api.storage.StorageSpec;
import io.backtrack.contract.args.AgentEnv;
import io.backtrack.contract.args.AgentFlags;
import io.backtrack.contract.names.DatabaseNames;
import io.backtrack.contract.wire.ArchiveCompression;
import io.backtrack.contract.wire.RestoreStep;
import io.backtrack.contract.wire.VerifyMode;
import io.backtrack.controller.TestAgentConfig;
import io.backtrack.controller.backup.BackupJobs;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.ParseResult;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/**
 * Every Job the operator builds, parsed by the agent's own command line (picocli, as the agent's main parses it): a
 * flag the agent does not know, a missing required one or a value of the wrong type fails here, not in a cluster.
 * The values the agent reads later (strategy, step, verify mode, compression and level, database names) are checked
 * with the parsers the agent uses, and the environment holds only what the agent reads.
 */
class AgentCommandLineTest {
    private static final Instant STARTED = Instant.parse("2026-11-22T03:15:00Z");
    private static final Set<String> AGENT_ENV = Set.of(AgentEnv.PGUSER, AgentEnv.PGPASSWORD,
            AgentEnv.AWS_ACCESS_KEY_ID, AgentEnv.AWS_SECRET_ACCESS_KEY, AgentEnv.TERMINATION_LOG, AgentEnv.AGE_RECIPIENTS,
            AgentEnv.AGE_IDENTITY);

    private final BackupJobs backupJobs = new BackupJobs(TestAgentConfig.INSTANCE);

    private Job backupJob(Backup backup) {
        return backupJobs.backup(backup, backup.getSpec().storage().s3(), null);
    }

    private Job cleanupJob(Backup backup) {
        return backupJobs.cleanup(backup, backup.getSpec().storage().s3());
    }
    private final RestoreJobs restoreJobs = new RestoreJobs(TestAgentConfig.INSTANCE);

    @Test
    void theAgentParsesEveryJobTheOperatorBuilds() {
        Map<String, Job> jobs = new LinkedHashMap<>();
        Backup full = backup("full", new Compression(CompressionAlgorithm.gzip, 9),
                new BackupScope(List.of("public.orders"), List.of("public.log"), List.of("billing"), true));
        full.getMetadata().setLabels(Map.of(BacktrackApi.SCHEDULE_LABEL, "nightly"));
        full.getMetadata().setAnnotations(Map.of(BacktrackApi.SCHEDULE_LABEL, "nightly"));
        jobs.put("backup with every option", backupJob(full));
        jobs.put("backup without a compression block", backupJob(backup("plain", null, null)));
        jobs.put("backup without compression", backupJob(
                backup("none", new Compression(CompressionAlgorithm.none, null), null)));
        jobs.put("cleanup", cleanupJob(full));
        for (RestoreStrategy strategy : RestoreStrategy.values()) {
            RestoreScope scope = strategy == RestoreStrategy.swap ? null
                    : new RestoreScope(List.of("public.orders"), List.of("billing"), false, true);
            Restore restore = RestoreJobsTest.restore(strategy, scope);
            RestorePlan plan = RestoreJobsTest.plan(restore);
            for (RestoreStep step : RestoreJobs.steps(plan)) {
                jobs.put("restore " + strategy + " " + step, restoreJobs.build(restore, plan, step, STARTED));
            }
            jobs.put("safety backup before " + strategy, backupJob(SafetyBackups.of(restore, plan)));
        }
        Restore overTls = RestoreJobsTest.restore(RestoreStrategy.swap, null);
        jobs.put("restore over TLS with the Pod's cloud identity", restoreJobs.build(overTls,
                RestoreJobsTest.tlsPlan(overTls), RestoreStep.RESTORE, STARTED));
        jobs.put("safety backup over TLS", backupJobs.backup(SafetyBackups.of(overTls, RestoreJobsTest.tlsPlan(overTls)),
                RestoreJobsTest.tlsPlan(overTls).storage(), null));
        jobs.put("encrypted backup", backupJobs.backup(full, full.getSpec().storage().s3(),
                new io.backtrack.api.encryption.EncryptionSpec(new io.backtrack.api.encryption.AgeEncryption(
                        new io.backtrack.api.encryption.RecipientsSecret("backup-recipients", null)))));
        Restore keyed = RestoreJobsTest.restore(RestoreStrategy.swap, null);
        var k = keyed.getSpec();
        keyed.setSpec(new io.backtrack.api.restore.RestoreSpec(k.backupName(), null, null, k.strategy(), null, null,
                null, null, null, null, null, null, null, new io.backtrack.api.encryption.DecryptionSpec(
                new io.backtrack.api.encryption.IdentitySecret("restore-identity", null))));
        jobs.put("check of an encrypted backup", restoreJobs.build(keyed, RestoreJobsTest.plan(keyed), RestoreStep.CHECK,
                STARTED));
        Restore drill = RestoreJobsTest.restore(RestoreStrategy.newDatabase, null);
        var d = drill.getSpec();
        drill.setSpec(new io.backtrack.api.restore.RestoreSpec(d.backupName(), null, null, d.strategy(), null, null, null,
                null, null, null, null, null, new io.backtrack.api.drill.RestoreDrill(null, null, List.of())));
        Job drillJob = new DrillJobs(TestAgentConfig.INSTANCE).build(drill, RestoreJobsTest.tlsPlan(drill));
        jobs.put("drill over TLS", drillJob);
        assertThat(drillJob.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs())
                .containsSubsequence("--sslmode", "verify-full", "--sslrootcert").contains("--storage-ca-file");
        assertThat(drillJob.getSpec().getTemplate().getSpec().getVolumes()).extracting(v -> v.getName())
                .contains("database-ca", "database-client", "storage-ca");
        jobs.put("cleanup with a private CA", backupJobs.cleanup(SafetyBackups.of(overTls, RestoreJobsTest.tlsPlan(overTls)),
                RestoreJobsTest.tlsPlan(overTls).storage()));
        Restore parallel = RestoreJobsTest.restore(RestoreStrategy.newDatabase, null);
        var p = parallel.getSpec();
        parallel.setSpec(new io.backtrack.api.restore.RestoreSpec(p.backupName(), null, null, p.strategy(), null, null,
                null, null, null, null, null, null, null, null, 4));
        jobs.put("restore with parallel jobs", restoreJobs.build(parallel, RestoreJobsTest.plan(parallel),
                RestoreStep.RESTORE, STARTED));
        Restore fromStorage = RestoreJobsTest.restore(RestoreStrategy.swap, null);
        jobs.put("restore from storage, database from the manifest", restoreJobs.build(fromStorage,
                RestoreJobsTest.plan(fromStorage).withDatabase(null), RestoreStep.CHECK, STARTED));

        jobs.forEach((what, job) -> {
            Container agent = job.getSpec().getTemplate().getSpec().getContainers().get(0);
            List<String> args = agent.getArgs();
            assertThatCode(() -> checkValues(AgentMain.commandLine().parseArgs(args.toArray(String[]::new))))
                    .as("%s: %s", what, args).doesNotThrowAnyException();
            assertThat(agent.getEnv()).extracting(EnvVar::getName).as(what).isSubsetOf(AGENT_ENV);
        });
        assertThat(jobs).as("backup and cleanup, 8 restore steps, 3 safety backups, 4 over TLS, 1 from storage, "
                + "2 with age keys, 1 with parallel jobs").hasSize(4 + 8 + 3 + 4 + 1 + 2 + 1);
    }

    @Test
    void aFlagTheAgentDoesNotKnowFails() {
        List<String> args = new ArrayList<>(cleanupJob(backup("full", null, null)).getSpec().getTemplate()
                .getSpec().getContainers().get(0).getArgs());
        args.add("--phase");
        args.add("verify");
        assertThatCode(() -> AgentMain.commandLine().parseArgs(args.toArray(String[]::new)))
                .hasMessageContaining("--phase");
    }

    /** What the agent parses when it runs, with the parsers it runs them with. */
    private static void checkValues(ParseResult root) {
        ParseResult command = root.subcommand();
        String strategy = command.matchedOptionValue(AgentFlags.STRATEGY, null);
        if (strategy != null) {
            io.backtrack.contract.wire.RestoreStrategy.parse(strategy);
        }
        String step = command.matchedOptionValue(AgentFlags.STEP, null);
        if (step != null) {
            RestoreStep.parse(step);
        }
        String sslMode = command.matchedOptionValue(AgentFlags.SSL_MODE, null);
        if (sslMode != null) {
            io.backtrack.contract.wire.SslMode.parse(sslMode);
        }
        String verify = command.matchedOptionValue(AgentFlags.VERIFY, null);
        if (verify != null) {
            VerifyMode.parse(verify);
        }
        String compression = command.matchedOptionValue(AgentFlags.COMPRESSION, null);
        if (compression != null) {
            Integer level = command.matchedOptionValue(AgentFlags.LEVEL, null);
            ArchiveCompression.parse(compression).effectiveLevel(level);
        }
        for (String flag : List.of(AgentFlags.DBNAME, AgentFlags.SIDE_DATABASE, AgentFlags.PREVIOUS_DATABASE)) {
            String name = command.matchedOptionValue(flag, null);
            if (name != null) {
                DatabaseNames.requireValid(name, flag);
            }
        }
    }

    private static Backup backup(String name, Compression compression, BackupScope scope) {
        Backup b = new Backup();
        b.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("shop").withUid("uid-" + name)
                .withGeneration(1L).build());
        b.setSpec(new BackupSpec("before v42",
                new DatabaseSpec(null, "orders-db.shop.svc", null, "orders", new DatabaseCredentials("orders-db", null, null)),
                new StorageSpec(new S3Storage("http://minio.storage.svc:9000", "db-backups", null, "prod", true,
                        new S3Credentials("s3-creds", null, null), null, new io.backtrack.api.storage.ServerSideEncryptionSpec(
                        io.backtrack.api.storage.ServerSideEncryptionType.KMS, "arn:aws:kms:eu-central-1:1:key/k"))), null,
                compression, scope, DeletionPolicy.Delete, "720h", null, null));
        return b;
    }
}

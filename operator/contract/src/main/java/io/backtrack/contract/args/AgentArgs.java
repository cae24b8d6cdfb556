package io.backtrack.contract.args;

import io.backtrack.contract.drill.CheckExpectation;
import io.backtrack.contract.durations.Durations;
import io.backtrack.contract.layout.BackupFolder;
import io.backtrack.contract.wire.ArchiveCompression;
import io.backtrack.contract.wire.RestoreStep;
import io.backtrack.contract.wire.RestoreStrategy;
import io.backtrack.contract.wire.RolesPolicy;
import io.backtrack.contract.wire.ServerSideEncryption;
import io.backtrack.contract.wire.SslMode;
import io.backtrack.contract.wire.VerifyMode;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The arguments of one agent Job, as a list (never a shell string): a command, then flags named by
 * {@link AgentFlags}. Values spelled as the CRDs spell them (strategy, verify mode, compression) are checked against
 * the {@code wire} enums here, so a value the agent would refuse fails when the Job is built, not when it runs.
 *
 * <pre>{@code
 * AgentArgs.restore().storage(endpoint, bucket, region).folder(folder).database(host, port, db)
 *          .strategy("swap").step(RestoreStep.COMPARE).verify("rowCounts").build()
 * }</pre>
 */
public final class AgentArgs {
    /** Fingerprints per {@code --known} value: 13 KB, far below the kernel's 128 KiB limit of one argument. */
    public static final int KNOWN_PER_FLAG = 1000;
    private final List<String> args = new ArrayList<>();

    private AgentArgs(String command) {
        args.add(command);
    }

    public static AgentArgs backup() {
        return new AgentArgs(AgentCommands.BACKUP);
    }

    public static AgentArgs restore() {
        return new AgentArgs(AgentCommands.RESTORE);
    }

    public static AgentArgs delete() {
        return new AgentArgs(AgentCommands.DELETE);
    }

    /** {@code drill}: restore into a scratch database ({@code --dbname}), verify, run the checks, drop it. */
    public static AgentArgs drill() {
        return new AgentArgs(AgentCommands.DRILL);
    }

    public static AgentArgs probe() {
        return new AgentArgs(AgentCommands.PROBE);
    }

    /** {@code --endpoint --bucket --region}: the object store. */
    public AgentArgs storage(String endpoint, String bucket, String region) {
        return add(AgentFlags.ENDPOINT, endpoint).add(AgentFlags.BUCKET, bucket).add(AgentFlags.REGION, region);
    }

    /**
     * {@code --sse} (spelled as {@link ServerSideEncryption} spells it) and {@code --sse-kms-key-id}; nothing when
     * {@code type} is null.
     */
    public AgentArgs sse(String type, String kmsKeyId) {
        if (type == null) {
            return this;
        }
        add(AgentFlags.SSE, ServerSideEncryption.parse(type).wireName());
        return kmsKeyId == null || kmsKeyId.isBlank() ? this : add(AgentFlags.SSE_KMS_KEY_ID, kmsKeyId);
    }

    /** {@code --prefix}, left out when blank (the whole bucket): where a probe looks and writes. */
    public AgentArgs prefix(String prefix) {
        return prefix == null || prefix.isBlank() ? this : add(AgentFlags.PREFIX, prefix);
    }

    /**
     * {@code --discover}, and the {@link BackupFolder#fingerprint() fingerprints} of the folders that need no import
     * as {@code --known} values of at most {@value #KNOWN_PER_FLAG} each, sorted (the same set gives the same
     * arguments).
     */
    public AgentArgs discover(Collection<String> knownFingerprints) {
        add(AgentFlags.DISCOVER);
        List<String> all = knownFingerprints.stream().distinct().sorted().toList();
        for (int i = 0; i < all.size(); i += KNOWN_PER_FLAG) {
            add(AgentFlags.KNOWN, String.join(",", all.subList(i, Math.min(all.size(), i + KNOWN_PER_FLAG))));
        }
        return this;
    }

    /**
     * {@code --storage-ca-file} when the bucket's CA bundle is mounted ({@code caFile} not null), and
     * {@code --virtual-host-style} unless the bucket is addressed in the path.
     */
    public AgentArgs storageAccess(String caFile, boolean pathStyle) {
        if (caFile != null) {
            add(AgentFlags.STORAGE_CA_FILE, caFile);
        }
        return pathStyle ? this : add(AgentFlags.VIRTUAL_HOST_STYLE);
    }

    /**
     * {@code --sslmode}, spelled as {@link SslMode} spells it, and the files that go with it when not null: the CA
     * bundle ({@code --sslrootcert}) and the client certificate and key ({@code --sslcert --sslkey}).
     */
    public AgentArgs databaseTls(String mode, String rootCert, String cert, String key) {
        add(AgentFlags.SSL_MODE, SslMode.parse(mode).wireName());
        if (rootCert != null) {
            add(AgentFlags.SSL_ROOT_CERT, rootCert);
        }
        if ((cert == null) != (key == null)) {
            throw new IllegalArgumentException(AgentFlags.SSL_CERT + " and " + AgentFlags.SSL_KEY + " go together");
        }
        return cert == null ? this : add(AgentFlags.SSL_CERT, cert).add(AgentFlags.SSL_KEY, key);
    }

    /** {@code --key}: the backup's folder. */
    public AgentArgs folder(BackupFolder folder) {
        return add(AgentFlags.KEY, folder.key());
    }

    /** {@code --host --port}, and {@code --dbname} unless null (restore: the manifest's database). */
    public AgentArgs database(String host, int port, String database) {
        add(AgentFlags.HOST, host).add(AgentFlags.PORT, Integer.toString(port));
        return database == null ? this : add(AgentFlags.DBNAME, database);
    }

    /** {@code --compression}, and {@code --level} when given (never for none). */
    public AgentArgs compression(String algorithm, Integer level) {
        ArchiveCompression compression = ArchiveCompression.parse(algorithm);
        add(AgentFlags.COMPRESSION, compression.wireName());
        return level == null || compression == ArchiveCompression.NONE ? this
                : add(AgentFlags.LEVEL, level.toString());
    }

    public AgentArgs tables(List<String> tables) {
        return each(AgentFlags.TABLE, tables);
    }

    public AgentArgs excludeTables(List<String> tables) {
        return each(AgentFlags.EXCLUDE_TABLE, tables);
    }

    public AgentArgs schemas(List<String> schemas) {
        return each(AgentFlags.SCHEMA, schemas);
    }

    public AgentArgs schemaOnly(boolean on) {
        return on ? add(AgentFlags.SCHEMA_ONLY) : this;
    }

    public AgentArgs dataOnly(boolean on) {
        return on ? add(AgentFlags.DATA_ONLY) : this;
    }

    /** {@code --description}, left out when blank. */
    public AgentArgs description(String description) {
        return description == null || description.isBlank() ? this : add(AgentFlags.DESCRIPTION, description);
    }

    /** {@code --namespace --backup-name}: the Backup resource, recorded in the manifest. */
    public AgentArgs backupResource(String namespace, String name) {
        return add(AgentFlags.NAMESPACE, namespace).add(AgentFlags.BACKUP_NAME, name);
    }

    /** {@code --schedule}: the BackupSchedule's full name, left out when null. */
    public AgentArgs schedule(String schedule) {
        return schedule == null ? this : add(AgentFlags.SCHEDULE, schedule);
    }

    /** {@code --strategy}, spelled as {@link RestoreStrategy} spells it (as the Restore resource does). */
    public AgentArgs strategy(String strategy) {
        return add(AgentFlags.STRATEGY, RestoreStrategy.parse(strategy).wireName());
    }

    public AgentArgs step(RestoreStep step) {
        return add(AgentFlags.STEP, step.wireName());
    }

    /** {@code --verify}, spelled as {@link VerifyMode} spells it (as the Restore resource does). */
    public AgentArgs verify(String mode) {
        return add(AgentFlags.VERIFY, VerifyMode.parse(mode).wireName());
    }

    /** {@code --lock-timeout}: how long an in-place restore's statements wait for a lock (a duration, or none). */
    public AgentArgs lockTimeout(String duration) {
        if (duration == null || duration.isBlank()) {
            return this;
        }
        Durations.parse(duration, AgentFlags.LOCK_TIMEOUT);
        return add(AgentFlags.LOCK_TIMEOUT, duration);
    }

    /** {@code --roles}, spelled as {@link RolesPolicy} spells it (as the Restore resource does). */
    public AgentArgs roles(String policy) {
        return add(AgentFlags.ROLES, RolesPolicy.parse(policy).wireName());
    }

    /** {@code --jobs}: pg_restore's parallel jobs; nothing for 1 or none (the archive streams, not spooled). */
    public AgentArgs jobs(Integer jobs) {
        return jobs == null || jobs <= 1 ? this : add(AgentFlags.JOBS, String.valueOf(jobs));
    }

    public AgentArgs noOwner(boolean on) {
        return on ? add(AgentFlags.NO_OWNER) : this;
    }

    /** {@code --role-passwords}: the backup's roles script records password hashes too. */
    public AgentArgs rolePasswords(boolean on) {
        return on ? add(AgentFlags.ROLE_PASSWORDS) : this;
    }

    /** {@code --side-database --previous-database}: a swap's names, the same for every step of one restore. */
    public AgentArgs swapDatabases(String side, String previous) {
        return add(AgentFlags.SIDE_DATABASE, side).add(AgentFlags.PREVIOUS_DATABASE, previous);
    }

    /** {@code --keep}: a drill leaves its scratch database in place. */
    public AgentArgs keep(boolean on) {
        return on ? add(AgentFlags.KEEP) : this;
    }

    /** {@code --check-timeout}: a drill's statement timeout per check, a {@code Durations} value ({@code 60s}). */
    public AgentArgs checkTimeout(String duration) {
        return add(AgentFlags.CHECK_TIMEOUT, duration);
    }

    /**
     * {@code --check NAME --sql QUERY --expect VALUE}: one of a drill's checks; an expectation the agent would refuse
     * fails here ({@link CheckExpectation}).
     */
    public AgentArgs check(String name, String sql, String expect) {
        CheckExpectation.parse(name, expect);
        return add(AgentFlags.CHECK, name).add(AgentFlags.SQL, sql).add(AgentFlags.EXPECT, expect);
    }

    public List<String> build() {
        return List.copyOf(args);
    }

    private AgentArgs each(String flag, List<String> values) {
        values.forEach(v -> add(flag, v));
        return this;
    }

    private AgentArgs add(String flag, String value) {
        if (value == null) {
            throw new IllegalArgumentException(flag + " needs a value");
        }
        args.add(flag);
        args.add(value);
        return this;
    }

    private AgentArgs add(String flag) {
        args.add(flag);
        return this;
    }
}

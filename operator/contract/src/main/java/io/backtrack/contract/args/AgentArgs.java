package io.backtrack.contract.args;

import io.backtrack.contract.durations.Durations;
import io.backtrack.contract.layout.BackupFolder;
import io.backtrack.contract.wire.ArchiveCompression;
import io.backtrack.contract.wire.RestoreStep;
import io.backtrack.contract.wire.RestoreStrategy;
import io.backtrack.contract.wire.RolesPolicy;
import io.backtrack.contract.wire.VerifyMode;

import java.util.ArrayList;
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

    /** {@code --endpoint --bucket --region}: the object store. */
    public AgentArgs storage(String endpoint, String bucket, String region) {
        return add(AgentFlags.ENDPOINT, endpoint).add(AgentFlags.BUCKET, bucket).add(AgentFlags.REGION, region);
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

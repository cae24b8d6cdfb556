package io.backtrack.e2e.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.backtrack.contract.layout.BackupFolder;
import io.backtrack.e2e.postgres.DatabaseFingerprint;
import io.backtrack.e2e.postgres.SampleData;
import io.backtrack.e2e.postgres.SchemaDump;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Archives encrypted with age (issue 19), against a real PostgreSQL and S3Proxy: the bucket holds only ciphertext,
 * the stock {@code age | zstd | pg_restore} pipeline opens it, the agent restores it with an identity, and every way
 * of getting the key wrong is refused before the target is touched; a changed ciphertext never restores.
 */
class AgentEncryptionTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] AGE_HEADER = "age-encryption.org/v1\n".getBytes(StandardCharsets.US_ASCII);
    private static AgentFixture fx;
    private static Path keys;
    private static Key alice;
    private static Key bob;
    private static Key mallory;
    private static final List<String> created = new ArrayList<>();

    /** An identity file written by the stock age-keygen, and its recipient. */
    private record Key(Path file, String recipient) {
        static Key generate(Path dir, String name) throws Exception {
            Path file = dir.resolve(name + ".txt");
            AgentRoundTripTest.shell("age-keygen -o " + file + " 2>/dev/null");
            return new Key(file, AgentRoundTripTest.shell("age-keygen -y " + file).strip());
        }

        /** The identity file's content: comments, then the key. */
        String identity() throws Exception {
            return Files.readString(file);
        }

        /** The private key itself, the line that must never appear in any output. */
        String secret() throws Exception {
            return identity().lines().filter(l -> l.startsWith("AGE-SECRET-KEY-")).findFirst().orElseThrow();
        }
    }

    @BeforeAll
    static void setUp() throws Exception {
        fx = AgentFixture.get();
        keys = Files.createTempDirectory("age-keys");
        alice = Key.generate(keys, "alice");
        bob = Key.generate(keys, "bob");
        mallory = Key.generate(keys, "mallory");
    }

    @AfterAll
    static void tearDown() {
        created.forEach(fx.pg::dropDatabase);
        io.backtrack.e2e.postgres.PostgresServer.deleteRecursively(keys);
    }

    private static String track(String db) {
        created.add(db);
        return db;
    }

    /** Encrypted to alice (flag) and bob (environment, as a Job gets it from the recipients Secret). */
    private static JsonNode encryptedBackup(String folder, String... extra) {
        List<String> args = new ArrayList<>(fx.backupArgs(folder, "--recipient", alice.recipient()));
        args.addAll(List.of(extra));
        AgentProcess.Outcome out = fx.agent(args,
                Map.of("BACKTRACK_AGE_RECIPIENTS", "# the team's keys\n\n" + bob.recipient() + "\n"));
        assertThat(out.exitCode()).as(out.stdout() + out.stderr()).isZero();
        return out.result();
    }

    private static AgentProcess.Outcome failed(AgentProcess.Outcome out, String reason) {
        assertThat(out.exitCode()).as(out.stdout() + out.stderr()).isEqualTo(1);
        assertThat(out.reason()).as(out.stdout() + out.stderr()).isEqualTo(reason);
        return out;
    }

    private static boolean startsWithAgeHeader(byte[] bytes) {
        return bytes.length > AGE_HEADER.length
                && java.util.Arrays.equals(bytes, 0, AGE_HEADER.length, AGE_HEADER, 0, AGE_HEADER.length);
    }

    /** A live database with the sample data: what a refused restore must leave exactly as it was. */
    private static String liveTarget(String name) {
        String db = track(fx.pg.uniqueDatabaseName(name));
        fx.pg.createDatabase(db);
        SampleData.load(fx.pg, db);
        fx.pg.execute(db, "UPDATE public.customers SET name = 'changed after the backup' WHERE id = 1");
        return db;
    }

    private record State(DatabaseFingerprint rows, String schema, List<String> databases) {
        static State of(String db) {
            return new State(DatabaseFingerprint.of(fx.pg, db), SchemaDump.of(fx.pg, db),
                    fx.pg.query("postgres", "SELECT datname FROM pg_database ORDER BY datname"));
        }
    }

    @Test
    void theBucketHoldsCiphertextThatStockAgeZstdAndPgRestoreOpen(@TempDir Path tmp) throws Exception {
        String folder = AgentFixture.folder("age");
        JsonNode r = encryptedBackup(folder);
        String archiveKey = r.get("archiveKey").asText();
        assertThat(archiveKey).matches(folder + "/archive-\\d{8}T\\d{6}Z-[0-9a-f]{8}\\.pgdump\\.zst\\.age");
        assertThat(r.get("encryption").asText()).isEqualTo("age");
        assertThat(JSON.convertValue(r.get("recipients"), List.class)).containsExactly(alice.recipient(), bob.recipient());
        String rolesKey = new BackupFolder(folder).rolesKeyOf(archiveKey);
        assertThat(rolesKey).endsWith(".sql.age");
        assertThat(fx.s3.listKeys(AgentFixture.BUCKET, folder + "/"))
                .containsExactlyInAnyOrder(archiveKey, folder + "/manifest.json", rolesKey);

        // Ciphertext only; its SHA-256 and size are what the result and the manifest record.
        byte[] archive = fx.s3.readObject(AgentFixture.BUCKET, archiveKey);
        assertThat(startsWithAgeHeader(archive)).isTrue();
        assertThat(new String(archive, StandardCharsets.ISO_8859_1)).doesNotContain("PGDMP");
        assertThat(startsWithAgeHeader(fx.s3.readObject(AgentFixture.BUCKET, rolesKey))).isTrue();
        assertThat(r.get("sha256").asText()).isEqualTo(fx.s3.sha256Of(AgentFixture.BUCKET, archiveKey));
        assertThat(r.get("sizeBytes").asLong()).isEqualTo(archive.length);
        String manifestText = new String(fx.s3.readObject(AgentFixture.BUCKET, folder + "/manifest.json"),
                StandardCharsets.UTF_8);
        JsonNode manifest = JSON.readTree(manifestText);
        assertThat(manifest.get("encryption").asText()).isEqualTo("age");
        assertThat(JSON.convertValue(manifest.get("recipients"), List.class))
                .containsExactly(alice.recipient(), bob.recipient());
        assertThat(manifest.get("sha256").asText()).isEqualTo(r.get("sha256").asText());
        assertThat(manifestText).doesNotContain("AGE-SECRET-KEY");

        // No lock-in: the stock tools alone, with bob's identity (a recipient from the environment).
        Path file = tmp.resolve("archive.pgdump.zst.age");
        Files.write(file, archive);
        String stock = track(fx.pg.uniqueDatabaseName("age_stock"));
        fx.pg.createDatabase(stock);
        pipeline("age -d -i " + bob.file() + " " + file + " | zstd -d | pg_restore --no-owner --exit-on-error"
                + " --host " + fx.pg.host() + " --port " + fx.pg.port() + " --username " + fx.pg.superuser()
                + " --dbname " + stock);
        assertThat(DatabaseFingerprint.of(fx.pg, stock)).isEqualTo(fx.sourceFingerprint);

        // The agent, with alice's identity file.
        String restored = track(fx.pg.uniqueDatabaseName("age_restored"));
        AgentProcess.Outcome restore = fx.agent(fx.restoreArgs(folder, restored, "--identity-file",
                alice.file().toString()));
        assertThat(restore.exitCode()).as(restore.stdout() + restore.stderr()).isZero();
        assertThat(restore.result().get("rowsRestored").asLong()).isEqualTo(fx.sourceFingerprint.totalRows());
        assertThat(DatabaseFingerprint.of(fx.pg, restored)).isEqualTo(fx.sourceFingerprint);
        assertThat(restore.stdout() + restore.stderr()).doesNotContain(alice.secret());

        // verify: without a key, the stored bytes; --deep with one, decrypted and decompressed too.
        AgentProcess.Outcome shallow = fx.agent(fx.storageCommand("verify", "--key", folder));
        assertThat(shallow.exitCode()).as(shallow.stdout() + shallow.stderr()).isZero();
        assertThat(shallow.result().get("sha256").asText()).isEqualTo(r.get("sha256").asText());
        assertThat(shallow.result().get("encryption").asText()).isEqualTo("age");
        assertThat(shallow.result().get("decrypted").asBoolean()).isFalse();
        assertThat(shallow.result().has("uncompressedBytes")).isFalse();
        AgentProcess.Outcome deep = fx.agent(fx.storageCommand("verify", "--key", folder, "--deep"),
                Map.of("BACKTRACK_AGE_IDENTITY", bob.identity()));
        assertThat(deep.exitCode()).as(deep.stdout() + deep.stderr()).isZero();
        assertThat(deep.result().get("decrypted").asBoolean()).isTrue();
        assertThat(deep.result().get("uncompressedBytes").asLong()).isGreaterThan(archive.length);
        AgentProcess.Outcome deepWithoutKey = failed(fx.agent(fx.storageCommand("verify", "--key", folder,
                "--deep")), "DecryptionFailed");
        assertThat(deepWithoutKey.message()).contains(alice.recipient(), bob.recipient());
    }

    @Test
    void aMissingOrWrongIdentityIsRefusedBeforeAnyDatabaseIsTouched() throws Exception {
        String folder = AgentFixture.folder("age-refused");
        encryptedBackup(folder);
        String target = liveTarget("age_target");
        State before = State.of(target);

        AgentProcess.Outcome wrong = failed(fx.agent(fx.restoreArgs(folder, target, "--strategy", "inPlace",
                "--identity-file", mallory.file().toString())), "DecryptionFailed");
        assertThat(wrong.message()).contains(alice.recipient(), bob.recipient(), mallory.recipient())
                .doesNotContain(mallory.secret());
        assertThat(State.of(target)).isEqualTo(before);

        AgentProcess.Outcome none = failed(fx.agent(fx.restoreArgs(folder, target, "--strategy", "swap")),
                "DecryptionFailed");
        assertThat(none.message()).contains(alice.recipient(), bob.recipient(), "spec.decryption.identitySecret");
        assertThat(State.of(target)).isEqualTo(before);

        String garbage = "AGE-SECRET-KEY-1NOTAKEYATALLQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQ";
        AgentProcess.Outcome unusable = failed(fx.agent(fx.restoreArgs(folder, target, "--strategy", "swap"),
                Map.of("BACKTRACK_AGE_IDENTITY", garbage + "\n")), "DecryptionFailed");
        assertThat(unusable.message()).contains("BACKTRACK_AGE_IDENTITY").doesNotContain(garbage);
        assertThat(State.of(target)).isEqualTo(before);

        String fresh = fx.pg.uniqueDatabaseName("age_new");
        failed(fx.agent(fx.restoreArgs(folder, fresh, "--identity-file", mallory.file().toString())),
                "DecryptionFailed");
        assertThat(fx.pg.databaseExists(fresh)).isFalse();

        // A drill's scratch database that exists is never the drill's to drop, whatever fails.
        List<String> drill = new ArrayList<>(fx.restoreArgs(folder, target, "--identity-file",
                mallory.file().toString()));
        drill.set(0, "drill");
        failed(fx.agent(drill), "DatabaseExists");
        String scratch = fx.pg.uniqueDatabaseName("age_scratch");
        drill.set(drill.indexOf("--dbname") + 1, scratch);
        failed(fx.agent(drill), "DecryptionFailed");
        assertThat(fx.pg.databaseExists(scratch)).isFalse();
        assertThat(State.of(target)).isEqualTo(before);
    }

    @Test
    void parallelJobsAreRefusedForAnEncryptedArchiveBeforeAnythingIsTouched() {
        String folder = AgentFixture.folder("age-jobs");
        encryptedBackup(folder);
        String target = liveTarget("age_jobs_target");
        State before = State.of(target);
        for (String step : List.of("check", "all")) {
            AgentProcess.Outcome out = failed(fx.agent(fx.restoreArgs(folder, target, "--strategy", "swap", "--step",
                    step, "--jobs", "2", "--identity-file", alice.file().toString())), "InvalidArguments");
            assertThat(out.message()).contains("encrypted", "decrypted dump", "without --jobs");
            assertThat(State.of(target)).isEqualTo(before);
        }
    }

    @Test
    void aChangedCiphertextNeverRestoresEvenWhenItsManifestWasChangedToMatch() throws Exception {
        String folder = AgentFixture.folder("age-tampered");
        String archiveKey = encryptedBackup(folder).get("archiveKey").asText();
        String target = liveTarget("age_tampered");
        State before = State.of(target);
        fx.s3.corruptOneByte(AgentFixture.BUCKET, archiveKey);

        AgentProcess.Outcome corrupt = failed(fx.agent(fx.restoreArgs(folder, target, "--strategy", "inPlace",
                "--identity-file", alice.file().toString())), "ArchiveCorrupt");
        assertThat(corrupt.message()).contains(archiveKey);
        assertThat(State.of(target)).isEqualTo(before);
        failed(fx.agent(fx.storageCommand("verify", "--key", folder)), "ArchiveCorrupt");

        // Someone rewrote the manifest's SHA-256 and size to the changed object's: only age's authentication is left.
        ObjectNode manifest = (ObjectNode) JSON.readTree(fx.s3.readObject(AgentFixture.BUCKET, folder + "/manifest.json"));
        manifest.put("sha256", fx.s3.sha256Of(AgentFixture.BUCKET, archiveKey));
        String forged = AgentFixture.folder("age-forged");
        fx.s3.writeObject(AgentFixture.BUCKET, forged + "/manifest.json", JSON.writeValueAsBytes(manifest));
        for (String strategy : List.of("inPlace", "swap")) {
            AgentProcess.Outcome out = failed(fx.agent(fx.restoreArgs(forged, target, "--strategy", strategy,
                    "--identity-file", alice.file().toString())), "ArchiveCorrupt");
            assertThat(out.message()).as(strategy).contains("age authentication");
            assertThat(State.of(target)).as(strategy).isEqualTo(before);
        }
        String fresh = fx.pg.uniqueDatabaseName("age_forged");
        failed(fx.agent(fx.restoreArgs(forged, fresh, "--identity-file", alice.file().toString())), "ArchiveCorrupt");
        assertThat(fx.pg.databaseExists(fresh)).isFalse();
        failed(fx.agent(fx.storageCommand("verify", "--key", forged, "--deep", "--identity-file",
                alice.file().toString())), "ArchiveCorrupt");
    }

    @Test
    void recipientsThatCannotEncryptFailTheBackupAndNothingIsWritten() throws Exception {
        record Case(List<String> flags, String env, String says) {
        }
        List<Case> cases = List.of(
                new Case(List.of(), "", "holds no age recipient"),
                new Case(List.of(), "# only a comment\n\n", "holds no age recipient"),
                new Case(List.of("--recipient", "age1notavalidkeyatall"), null, "not a valid age X25519 recipient"),
                new Case(List.of("--recipient", alice.recipient().substring(0, alice.recipient().length() - 1)
                        + (alice.recipient().endsWith("q") ? "p" : "q")), null, "not a valid age X25519 recipient"),
                new Case(List.of("--recipient", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHk"), null,
                        "not an age X25519 recipient"),
                new Case(List.of(), alice.identity(), "is an age identity (a private key)"));
        for (Case c : cases) {
            String folder = AgentFixture.folder("age-refused-recipients");
            List<String> args = new ArrayList<>(fx.backupArgs(folder));
            args.addAll(c.flags());
            AgentProcess.Outcome out = c.env() == null ? fx.agent(args)
                    : fx.agent(args, Map.of("BACKTRACK_AGE_RECIPIENTS", c.env()));
            failed(out, "InvalidArguments");
            assertThat(out.message()).as(c.toString()).contains(c.says());
            assertThat(out.stdout() + out.stderr()).doesNotContain(alice.secret());
            assertThat(fx.s3.listKeys(AgentFixture.BUCKET, folder + "/")).as(c.toString()).isEmpty();
        }
    }

    @Test
    void theRolesFileWithPasswordHashesIsEncryptedAndARestoreCreatesRolesFromIt() throws Exception {
        String role = "age_owner_" + Long.toString(System.nanoTime(), 36);
        String source = fx.pg.uniqueDatabaseName("age_roles_src");
        fx.pg.execute("postgres", "CREATE ROLE " + role + " LOGIN PASSWORD 'owner-secret'");
        fx.pg.createDatabase(source);
        fx.pg.execute(source, "CREATE TABLE public.ledger (id int PRIMARY KEY, note text)",
                "INSERT INTO public.ledger SELECT i, 'entry ' || i FROM generate_series(1, 50) i",
                "ALTER TABLE public.ledger OWNER TO " + role);
        String folder = AgentFixture.folder("age-roles");
        List<String> args = new ArrayList<>(fx.backupArgs(folder, "--recipient", alice.recipient(),
                "--role-passwords"));
        args.set(args.indexOf("--dbname") + 1, source);
        AgentProcess.Outcome backup = fx.agent(args);
        assertThat(backup.exitCode()).as(backup.stdout() + backup.stderr()).isZero();
        JsonNode manifest = JSON.readTree(fx.s3.readObject(AgentFixture.BUCKET, folder + "/manifest.json"));
        String rolesKey = manifest.get("roles").get("key").asText();
        assertThat(rolesKey).endsWith(".sql.age");
        assertThat(manifest.get("roles").get("passwords").asBoolean()).isTrue();
        byte[] stored = fx.s3.readObject(AgentFixture.BUCKET, rolesKey);
        assertThat(startsWithAgeHeader(stored)).isTrue();
        assertThat(new String(stored, StandardCharsets.ISO_8859_1)).doesNotContain(role).doesNotContain("SCRAM");

        // The role is gone from the server: a restore creates it from the decrypted roles file, hash included.
        String hash = fx.pg.query("postgres", "SELECT rolpassword FROM pg_authid WHERE rolname = '" + role + "'").get(0);
        fx.pg.dropDatabase(source);
        fx.pg.execute("postgres", "DROP ROLE " + role);
        String restored = track(fx.pg.uniqueDatabaseName("age_roles"));
        AgentProcess.Outcome restore = fx.agent(fx.restoreArgs(folder, restored, "--roles", "createMissing",
                "--identity-file", alice.file().toString()));
        assertThat(restore.exitCode()).as(restore.stdout() + restore.stderr()).isZero();
        assertThat(fx.pg.query("postgres", "SELECT rolpassword FROM pg_authid WHERE rolname = '" + role + "'"))
                .containsExactly(hash);
        assertThat(fx.pg.query(restored, "SELECT tableowner FROM pg_tables WHERE tablename = 'ledger'"))
                .containsExactly(role);
        fx.pg.dropDatabase(restored);
        fx.pg.execute("postgres", "DROP ROLE " + role);
    }

    /** A pipeline that must succeed as a whole (pipefail), with the database password in its environment. */
    private static void pipeline(String command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(List.of("bash", "-c", "set -o pipefail; " + command))
                .redirectErrorStream(true);
        pb.environment().put("PGPASSWORD", fx.pg.password());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(command + ": " + out).isZero();
    }
}

package io.backtrack.agent.restore;

import com.fasterxml.jackson.databind.JsonNode;
import io.backtrack.agent.engine.postgres.PgTarget;
import io.backtrack.agent.engine.postgres.PgTool;
import io.backtrack.agent.log.StructuredLog;
import io.backtrack.agent.manifest.Json;
import io.backtrack.agent.result.AgentFailure;
import io.backtrack.agent.stream.BoundedTail;
import io.backtrack.contract.result.Reason;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The in-place restore: pg_restore's {@code --single-transaction} script streamed through {@link InPlaceScript}
 * into psql, in one transaction that commits only after the whole archive matched its SHA-256 and, inside that
 * same transaction, every restored table's row count matched the manifest.
 *
 * <p>Whatever goes wrong, the agent does not assume what happened to the target: it recorded the transaction's
 * id when it began, and afterwards asks the server whether that transaction committed or aborted (terminating its
 * backend first if it is still running). Only "aborted" is reported as "unchanged".
 */
final class InPlaceRestore {
    /** 128 + SIGPIPE: pg_restore wrote into a pipe nobody reads any more. */
    private static final int SIGPIPE_EXIT = 141;
    private static final long PSQL_ENDING_SECONDS = 10;
    private final ArchiveStreamer streamer;
    private final DatabaseAdmin admin;
    private final PgTarget db;
    private final boolean noOwner;

    InPlaceRestore(ArchiveStreamer streamer, DatabaseAdmin admin, PgTarget db, boolean noOwner) {
        this.streamer = streamer;
        this.admin = admin;
        this.db = db;
        this.noOwner = noOwner;
    }

    /**
     * @param clean        drop each object before re-creating it (not for a data-only restore)
     * @param prelude      statements run first in the transaction (e.g. emptying tables for a data-only restore)
     * @return the row counts, all matching (anything else has thrown, with the target checked to be unchanged)
     */
    RowVerification run(PgTool pgRestore, PgTool psql, List<String> switches, List<String> prelude, boolean clean,
                        long lockTimeoutMillis, RowVerification.Expected expected) {
        String id = UUID.randomUUID().toString();
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        Path txnFile = tmp.resolve("backtrack-restore-" + id + ".txn");
        Path reportFile = tmp.resolve("backtrack-restore-" + id + ".report");
        try {
            return restore(pgRestore, psql, switches, prelude, clean, lockTimeoutMillis, expected, txnFile,
                    reportFile);
        } finally {
            deleteQuietly(txnFile);
            deleteQuietly(reportFile);
        }
    }

    private RowVerification restore(PgTool pgRestore, PgTool psql, List<String> switches, List<String> prelude,
                                    boolean clean, long lockTimeoutMillis, RowVerification.Expected expected,
                                    Path txnFile, Path reportFile) {
        List<String> psqlCommand = List.of(psql.path().toString(), "--no-psqlrc", "--quiet", "--no-align",
                "--tuples-only", "--no-password", "--set=ON_ERROR_STOP=1", "--set=VERBOSITY=verbose",
                db.toolDbnameArgument());
        Process sql = ArchiveStreamer.start(psqlCommand, psql, ProcessBuilder.Redirect.DISCARD, db);
        BoundedTail sqlErr = BoundedTail.collect(sql.getErrorStream(), 16 * 1024, "psql-stderr");
        List<String> command = new ArrayList<>(List.of(pgRestore.path().toString(), "--file=-",
                "--single-transaction"));
        if (clean) {
            command.add("--clean");
            command.add("--if-exists");
        }
        if (noOwner) {
            command.add("--no-owner");
        }
        command.addAll(switches);
        Process restore;
        try {
            restore = ArchiveStreamer.start(command, pgRestore, ProcessBuilder.Redirect.PIPE, db);
        } catch (AgentFailure e) {
            sql.destroyForcibly();
            throw e;
        }
        BoundedTail stderr = BoundedTail.collect(restore.getErrorStream(), 16 * 1024, "pg_restore-stderr");
        OutputStream sqlIn = sql.getOutputStream();
        InPlaceScript script = new InPlaceScript(sqlIn, txnFile, reportFile, lockTimeoutMillis, prelude);
        IOException[] relayError = new IOException[1];
        Thread relay = new Thread(() -> {
            try (InputStream out = restore.getInputStream()) {
                byte[] buf = new byte[64 * 1024];
                int n;
                while ((n = out.read(buf)) >= 0) {
                    script.write(buf, 0, n);
                }
                script.endOfScript();
            } catch (IOException e) {
                relayError[0] = e;
                // psql is gone (a failed statement) or the script is malformed: stop pg_restore too.
                restore.destroyForcibly();
            }
        }, "pg_restore-to-psql");
        relay.setDaemon(true);
        relay.start();

        ArchiveStreamer.Feed feed = streamer.feed(restore);
        int exit = ArchiveStreamer.waitFor(restore);
        ArchiveStreamer.join(relay);
        String problem = null;
        Reason reason = Reason.RestoreFailed;
        if (feed.storageFailure != null) {
            problem = feed.storageFailure.getMessage();
            reason = feed.storageFailure.reason();
        } else if (feed.corruption != null) {
            problem = feed.corruption;
            reason = Reason.ArchiveCorrupt;
        } else if (!sql.isAlive() || (relayError[0] != null || exit == SIGPIPE_EXIT) && ended(sql)) {
            // psql stopped reading (a failed statement, e.g. a lock timeout), so pg_restore died of a broken pipe
            // or was stopped by the relay: psql's error is the cause, even if its exit is a moment behind.
            problem = "restoring into \"" + db.database() + "\" failed: "
                    + ArchiveStreamer.firstError(sqlErr.text());
        } else if (feed.readError != null) {
            problem = "reading the archive failed: " + feed.readError.getMessage();
        } else if (exit != 0) {
            problem = "pg_restore failed (exit status " + exit + "): " + ArchiveStreamer.firstError(stderr.text());
        } else if (relayError[0] != null) {
            problem = relayError[0].getMessage();
        }
        if (problem != null) {
            throw failed(reason, problem, sql, txnFile, null);
        }
        // The archive matched and pg_restore ended cleanly: now the count check, and COMMIT only if it passes.
        try {
            script.finish(RowVerification.inTransactionSql(expected));
            sqlIn.close();
        } catch (IOException e) {
            // psql died just now; its exit status and the transaction's fate tell.
        }
        int sqlExit = ArchiveStreamer.waitFor(sql);
        JsonNode report = readReport(reportFile);
        RowVerification verification = report == null ? null : RowVerification.of(expected,
                counts(report.path("counts")), report.path("largeObjects").isNumber()
                        ? report.path("largeObjects").asLong() : null);
        if (sqlExit != 0 || report == null) {
            throw failed(Reason.RestoreFailed, "restoring into \"" + db.database() + "\" failed at its end: "
                    + ArchiveStreamer.firstError(sqlErr.text()), sql, txnFile, null);
        }
        if (!report.path("sameTransaction").asBoolean(false)) {
            throw failed(Reason.RestoreFailed, "the restore's script ended its transaction early, so it was not "
                    + "one transaction", sql, txnFile, null);
        }
        if (!verification.mismatches().isEmpty()) {
            throw failed(Reason.VerificationFailed, verification.mismatches().size() + " table(s) have different "
                    + "row counts than the backup (first: " + RowVerification.describe(verification.mismatches()
                    .get(0)) + ")", sql, txnFile, verification);
        }
        Outcome outcome = outcome(txnFile);
        if (outcome != Outcome.COMMITTED) {
            throw new AgentFailure(Reason.RestoreFailed, "the restore's checks passed but its transaction "
                    + outcome.says + "; check \"" + db.database() + "\" before using it");
        }
        ArchiveStreamer.warnings(stderr);
        return verification;
    }

    /** True once {@code process} has ended, waiting a few seconds for one that closed its input and is ending. */
    private static boolean ended(Process process) {
        try {
            return process.waitFor(PSQL_ENDING_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !process.isAlive();
        }
    }

    /** What the restore's transaction became. */
    private enum Outcome {
        ABORTED("was rolled back (checked): the database is unchanged"),
        COMMITTED("COMMITTED: the database holds what the restore wrote so far; restore the safety backup"),
        NOT_STARTED("never began (checked): the database is unchanged"),
        UNKNOWN("could not be checked: the database may hold part of the restore; compare it with the safety "
                + "backup");

        final String says;

        Outcome(String says) {
            this.says = says;
        }
    }

    /**
     * Ends psql without COMMIT, then reports the failure with what the server says became of the transaction.
     *
     * @param counts the row counts compared before COMMIT, reported with the failure; may be null
     */
    private AgentFailure failed(Reason reason, String problem, Process sql, Path txnFile, RowVerification counts) {
        sql.destroyForcibly();
        ArchiveStreamer.waitFor(sql);
        Outcome outcome = outcome(txnFile);
        StructuredLog.warn("restore.in-place-failed", "database", db.database(), "transaction", outcome.name());
        Reason effective = outcome == Outcome.COMMITTED || outcome == Outcome.UNKNOWN ? Reason.RestoreFailed : reason;
        return new AgentFailure(effective, problem + "; the restore's transaction " + outcome.says, null, counts);
    }

    private Outcome outcome(Path txnFile) {
        String recorded;
        try {
            recorded = Files.exists(txnFile) ? Files.readString(txnFile, StandardCharsets.US_ASCII).strip() : "";
        } catch (IOException e) {
            return Outcome.UNKNOWN;
        }
        if (recorded.isEmpty()) {
            // psql never ran the first statement after BEGIN, so nothing of the script ran.
            return Outcome.NOT_STARTED;
        }
        String[] parts = recorded.split("\\|");
        try {
            long xid = Long.parseLong(parts[0].strip());
            int pid = Integer.parseInt(parts[1].strip());
            return switch (admin.transactionStatus(xid, pid)) {
                case "committed" -> Outcome.COMMITTED;
                case "aborted" -> Outcome.ABORTED;
                default -> Outcome.UNKNOWN;
            };
        } catch (RuntimeException e) {
            StructuredLog.warn("restore.transaction-unknown", "error", e.toString());
            return Outcome.UNKNOWN;
        }
    }

    private static JsonNode readReport(Path reportFile) {
        try {
            if (!Files.exists(reportFile)) {
                return null;
            }
            String text = Files.readString(reportFile, StandardCharsets.US_ASCII).strip();
            return text.isEmpty() ? null : Json.mapper().readTree(text);
        } catch (IOException e) {
            return null;
        }
    }

    private static List<Long> counts(JsonNode array) {
        List<Long> counts = new ArrayList<>();
        array.forEach(n -> counts.add(n.isNumber() ? n.asLong() : null));
        return counts;
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // a temporary file in the Job's emptyDir
        }
    }
}

package io.backtrack.agent.cli;

import io.backtrack.agent.log.StructuredLog;
import io.backtrack.agent.result.AgentFailure;
import io.backtrack.contract.args.AgentEnv;
import io.backtrack.contract.result.Reason;
import io.backtrack.contract.result.ResultLine;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * A command whose outcome is the one-line JSON result (stdout and $BACKTRACK_TERMINATION_LOG): exit 0 with
 * {@code ok:true} and the command's typed result, or exit 1 with {@code ok:false, reason, message} (and the result so
 * far, when the command has one).
 */
abstract class ResultCommand implements Callable<Integer> {

    /** Runs the command and returns its typed result (the contract's); throws {@link AgentFailure} when expected. */
    abstract Object execute();

    /** The reason reported for an unexpected exception (a bug or an unforeseen environment problem). */
    abstract Reason unexpectedFailureReason();

    @Override
    public final Integer call() {
        try {
            emit(ResultLine.success(execute()));
            return 0;
        } catch (AgentFailure f) {
            StructuredLog.error("command.failed", "reason", f.reason(), "message", f.getMessage());
            emit(ResultLine.failure(f.reason(), f.getMessage(), f.soFar()));
            return 1;
        } catch (RuntimeException e) {
            StructuredLog.error("command.crashed", "error", e.toString());
            e.printStackTrace(System.err);
            emit(ResultLine.failure(unexpectedFailureReason(), "unexpected error: " + e, null));
            return 1;
        }
    }

    static void emitUsageFailure(String message) {
        emit(ResultLine.failure(Reason.InvalidArguments, message, null));
    }

    /** The line on stdout, and in the termination-message file when the Job names one. */
    private static void emit(ResultLine result) {
        String json = result.toJson();
        PrintStream stdout = System.out;
        stdout.println(json);
        stdout.flush();
        String terminationLog = System.getenv(AgentEnv.TERMINATION_LOG);
        if (terminationLog != null && !terminationLog.isBlank()) {
            try {
                Files.writeString(Path.of(terminationLog), json + "\n", StandardCharsets.UTF_8);
            } catch (IOException | RuntimeException e) {
                System.err.println("level=warn event=termination-log.unwritable path=" + terminationLog
                        + " error=\"" + e.getMessage() + "\"");
            }
        }
    }
}

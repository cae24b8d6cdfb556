package io.backtrack.agent.cli;

import io.backtrack.agent.log.StructuredLog;
import io.backtrack.agent.result.AgentFailure;
import io.backtrack.agent.result.Reason;
import io.backtrack.agent.result.ResultLine;

import java.util.Map;
import java.util.concurrent.Callable;

/**
 * A command whose outcome is the one-line JSON result (stdout and $BACKTRACK_TERMINATION_LOG):
 * exit 0 with {@code ok:true}, or exit 1 with {@code ok:false, reason, message}.
 */
abstract class ResultCommand implements Callable<Integer> {
    static final String TERMINATION_LOG_ENV = "BACKTRACK_TERMINATION_LOG";

    /** Runs the command; throws {@link AgentFailure} for every expected failure. */
    abstract Map<String, Object> execute();

    /** The reason reported for an unexpected exception (a bug or an unforeseen environment problem). */
    abstract Reason unexpectedFailureReason();

    @Override
    public final Integer call() {
        try {
            ResultLine.success(execute()).emit(System.out, System.getenv(TERMINATION_LOG_ENV));
            return 0;
        } catch (AgentFailure f) {
            StructuredLog.error("command.failed", "reason", f.reason(), "message", f.getMessage());
            ResultLine.failure(f).emit(System.out, System.getenv(TERMINATION_LOG_ENV));
            return 1;
        } catch (RuntimeException e) {
            StructuredLog.error("command.crashed", "error", e.toString());
            e.printStackTrace(System.err);
            String message = "unexpected error: " + e;
            ResultLine.failure(unexpectedFailureReason(), message, Map.of())
                    .emit(System.out, System.getenv(TERMINATION_LOG_ENV));
            return 1;
        }
    }

    static void emitUsageFailure(String message) {
        ResultLine.failure(Reason.InvalidArguments, message, Map.of())
                .emit(System.out, System.getenv(TERMINATION_LOG_ENV));
    }
}

package io.backtrack.agent.result;

import io.backtrack.contract.result.Reason;

/**
 * A failure the agent reports as {@code {"ok":false,"reason":…,"message":…}}. The message is read by a person
 * in {@code kubectl describe}: it names the cause and, where possible, what to do. {@code soFar} is the command's
 * typed result as far as it got (a contract result record, e.g. a restore's counts and mismatches), whose fields
 * the failed result still reports; null when there is nothing to report.
 */
public final class AgentFailure extends RuntimeException {
    private final Reason reason;
    private final transient Object soFar;

    public AgentFailure(Reason reason, String message) {
        this(reason, message, null, null);
    }

    public AgentFailure(Reason reason, String message, Throwable cause) {
        this(reason, message, cause, null);
    }

    public AgentFailure(Reason reason, String message, Throwable cause, Object soFar) {
        super(message, cause);
        this.reason = reason;
        this.soFar = soFar;
    }

    public Reason reason() {
        return reason;
    }

    /** The command's result so far, or null. */
    public Object soFar() {
        return soFar;
    }
}

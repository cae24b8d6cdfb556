package io.backtrack.agent.result;

import java.util.Map;

/**
 * A failure the agent reports as {@code {"ok":false,"reason":…,"message":…}}. The message is read by a person
 * in {@code kubectl describe}: it names the cause and, where possible, what to do.
 * {@code extra} carries fields a failed result still reports (e.g. the row-count mismatches of a restore).
 */
public final class AgentFailure extends RuntimeException {
    private final Reason reason;
    private final transient Map<String, Object> extra;

    public AgentFailure(Reason reason, String message) {
        this(reason, message, null, Map.of());
    }

    public AgentFailure(Reason reason, String message, Throwable cause) {
        this(reason, message, cause, Map.of());
    }

    public AgentFailure(Reason reason, String message, Throwable cause, Map<String, Object> extra) {
        super(message, cause);
        this.reason = reason;
        this.extra = Map.copyOf(extra);
    }

    public Reason reason() {
        return reason;
    }

    public Map<String, Object> extra() {
        return extra;
    }
}

package io.backtrack.controller.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The agent's one-line JSON result, read from the container's termination message (DESIGN.md §7).
 *
 * @param ok      whether the agent succeeded
 * @param reason  on failure, the reason that becomes the condition's reason
 * @param message on failure, the message for the person reading `kubectl describe`
 * @param fields  the whole object, for the command-specific fields
 */
public record AgentResult(boolean ok, String reason, String message, JsonNode fields) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Parses a termination message. Anything that is not the agent's JSON (the kubelet's fallback to the log's tail,
     * which may quote rows or statements) becomes a failure without reason or message: it is never copied anywhere.
     */
    public static AgentResult parse(String terminationMessage) {
        if (terminationMessage != null && !terminationMessage.isBlank()) {
            String text = terminationMessage.strip();
            String lastLine = text.substring(text.lastIndexOf('\n') + 1);
            try {
                JsonNode node = JSON.readTree(lastLine);
                if (node instanceof ObjectNode && node.has("ok")) {
                    return new AgentResult(node.path("ok").asBoolean(false), textOrNull(node, "reason"),
                            textOrNull(node, "message"), node);
                }
            } catch (Exception e) {
                // not JSON: the kubelet fell back to the container's log
            }
        }
        return new AgentResult(false, null, null, JsonNodeFactory.instance.objectNode());
    }

    /** Whether this is the agent's report of a failure with a reason (exit code 1), as opposed to no result at all. */
    public boolean isReportedFailure() {
        return !ok && reason != null;
    }

    public String text(String field) {
        return textOrNull(fields, field);
    }

    public Long longValue(String field) {
        JsonNode n = fields.get(field);
        return n == null || n.isNull() ? null : n.asLong();
    }

    public Double doubleValue(String field) {
        JsonNode n = fields.get(field);
        return n == null || n.isNull() ? null : n.asDouble();
    }

    private static String textOrNull(JsonNode node, String field) {
        JsonNode n = node.get(field);
        return n == null || n.isNull() ? null : n.asText();
    }
}

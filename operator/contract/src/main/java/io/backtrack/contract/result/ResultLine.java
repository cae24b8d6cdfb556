package io.backtrack.contract.result;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The agent's one-line JSON result (DESIGN.md §7), on stdout and in the container's termination message, written by
 * the agent and read by the operator with this one class. Success: {@code {"ok":true, ...}} and the fields of a typed
 * result ({@link BackupResult}, {@link RestoreResult}, {@link VerifyResult}, {@link DrillResult},
 * {@link DeleteResult}). Failure: {@code {"ok":false,"reason":R,"message":"..."}} and, where a command has them, the
 * fields of its result so far (a VerificationFailed restore's counts and mismatches). Fields without a value are left
 * out.
 *
 * <p>Kubernetes keeps at most 4 KiB of a termination message: {@link #toJson()} is always one line of at most
 * {@link #MAX_BYTES} UTF-8 bytes of valid JSON. A line that would be longer is shrunk rather than cut mid-JSON: the
 * longest lists are halved until it fits, each shortened list flagged {@code <field>Truncated: true}, then long
 * strings are cut with an ellipsis. The message is at most {@value #MAX_MESSAGE_CHARS} characters.
 */
public final class ResultLine {
    public static final int MAX_BYTES = 4000;
    static final int MAX_MESSAGE_CHARS = 1500;
    private static final ObjectMapper JSON = new ObjectMapper()
            .setSerializationInclusion(JsonInclude.Include.NON_NULL)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final ObjectNode node;

    private ResultLine(ObjectNode node) {
        this.node = node;
    }

    public static ResultLine success(Object result) {
        ObjectNode node = JSON.createObjectNode();
        node.put("ok", true);
        node.setAll(fields(result));
        return new ResultLine(node);
    }

    /** @param soFar the command's result so far, whose fields the failure still reports; may be null */
    public static ResultLine failure(Reason reason, String message, Object soFar) {
        ObjectNode node = JSON.createObjectNode();
        node.put("ok", false);
        node.put("reason", reason.name());
        node.put("message", truncate(message == null ? reason.name() : message, MAX_MESSAGE_CHARS));
        if (soFar != null) {
            fields(soFar).fields().forEachRemaining(e -> {
                if (!node.has(e.getKey())) {
                    node.set(e.getKey(), e.getValue());
                }
            });
        }
        return new ResultLine(node);
    }

    /**
     * Reads a termination message. Only the agent's JSON on its last line counts: anything else (the kubelet's
     * fallback to the log's tail, which may quote rows or statements) is a failure without reason or message and
     * without fields, so it is never copied anywhere.
     */
    public static ResultLine parse(String terminationMessage) {
        if (terminationMessage != null && !terminationMessage.isBlank()) {
            String text = terminationMessage.strip();
            try {
                JsonNode node = JSON.readTree(text.substring(text.lastIndexOf('\n') + 1));
                if (node instanceof ObjectNode object && object.has("ok")) {
                    return new ResultLine(object);
                }
            } catch (JsonProcessingException e) {
                // not JSON: the kubelet fell back to the container's log
            }
        }
        ObjectNode nothing = JSON.createObjectNode();
        nothing.put("ok", false);
        return new ResultLine(nothing);
    }

    public boolean ok() {
        return node.path("ok").asBoolean(false);
    }

    /** A failure's reason as the agent wrote it (a newer agent may know reasons this one does not); else null. */
    public String reason() {
        return text("reason");
    }

    /** The reason, if it is one of {@link Reason}. */
    public Optional<Reason> knownReason() {
        String reason = reason();
        for (Reason r : Reason.values()) {
            if (r.name().equals(reason)) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }

    public String message() {
        return text("message");
    }

    /** The agent's report of a failure with a reason (exit code 1), as opposed to no result at all. */
    public boolean isReportedFailure() {
        return !ok() && reason() != null;
    }

    /** The fields as the command's typed result (of a failure: its result so far); missing fields are null. */
    public <T> T as(Class<T> type) {
        return JSON.convertValue(node, type);
    }

    /** The one line: valid JSON, no line break, at most {@link #MAX_BYTES} UTF-8 bytes. */
    public String toJson() {
        ObjectNode copy = node.deepCopy();
        String json = write(copy);
        int stringLimit = 512;
        while (bytes(json) > MAX_BYTES) {
            if (!halveLongestList(copy)) {
                if (stringLimit < 16) {
                    break;
                }
                shortenStrings(copy, stringLimit);
                stringLimit /= 2;
            }
            json = write(copy);
        }
        return json;
    }

    /**
     * Whether the line fits as it is, nothing shrunk: a command that reports a list of its own choosing (a discovery
     * probe's found backups) fills it only as far as this allows, and says how many it left out.
     */
    public boolean fits() {
        return bytes(write(node)) <= MAX_BYTES;
    }

    @Override
    public String toString() {
        return toJson();
    }

    private String text(String field) {
        JsonNode n = node.get(field);
        return n == null || n.isNull() ? null : n.asText();
    }

    private static ObjectNode fields(Object result) {
        JsonNode tree = JSON.valueToTree(result);
        if (!(tree instanceof ObjectNode object)) {
            throw new IllegalArgumentException("a result is an object with fields, not " + tree.getNodeType());
        }
        return object;
    }

    private static boolean halveLongestList(ObjectNode root) {
        ArrayNode longest = null;
        String field = null;
        Iterator<Map.Entry<String, JsonNode>> it = root.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getValue() instanceof ArrayNode a && a.size() > 1 && (longest == null || a.size() > longest.size())) {
                longest = a;
                field = e.getKey();
            }
        }
        if (longest == null) {
            return false;
        }
        int keep = longest.size() / 2;
        while (longest.size() > keep) {
            longest.remove(longest.size() - 1);
        }
        root.put(field + "Truncated", true);
        return true;
    }

    private static void shortenStrings(JsonNode node, int limit) {
        if (node instanceof ObjectNode o) {
            List<String> names = new ArrayList<>();
            o.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                JsonNode child = o.get(name);
                if (child.isTextual() && child.asText().length() > limit) {
                    o.put(name, truncate(child.asText(), limit));
                } else {
                    shortenStrings(child, limit);
                }
            }
        } else if (node instanceof ArrayNode a) {
            for (int i = 0; i < a.size(); i++) {
                JsonNode child = a.get(i);
                if (child.isTextual() && child.asText().length() > limit) {
                    a.set(i, a.textNode(truncate(child.asText(), limit)));
                } else {
                    shortenStrings(child, limit);
                }
            }
        }
    }

    static String truncate(String s, int maxChars) {
        return s.length() <= maxChars ? s : s.substring(0, maxChars - 1) + "…";
    }

    private static String write(JsonNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }
}

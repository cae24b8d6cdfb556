package io.backtrack.agent.result;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.backtrack.agent.manifest.Json;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The one-line JSON result of a command: printed to stdout and written to the termination-message file.
 * Kubernetes keeps at most 4 KiB of a termination message, so the line is shrunk below {@link #MAX_BYTES}
 * (long strings cut, long arrays trimmed with a {@code truncated} flag) rather than cut mid-JSON.
 */
public final class ResultLine {
    public static final int MAX_BYTES = 4000;
    private static final int MAX_MESSAGE_CHARS = 1500;

    private final ObjectNode node;

    private ResultLine(ObjectNode node) {
        this.node = node;
    }

    public static ResultLine success(Map<String, ?> fields) {
        ObjectMapper mapper = Json.mapper();
        ObjectNode node = mapper.createObjectNode();
        node.put("ok", true);
        fields.forEach((k, v) -> node.set(k, mapper.valueToTree(v)));
        return new ResultLine(node);
    }

    public static ResultLine failure(Reason reason, String message, Map<String, ?> extra) {
        ObjectMapper mapper = Json.mapper();
        ObjectNode node = mapper.createObjectNode();
        node.put("ok", false);
        node.put("reason", reason.name());
        node.put("message", truncate(message == null ? reason.name() : message, MAX_MESSAGE_CHARS));
        extra.forEach((k, v) -> node.set(k, mapper.valueToTree(v)));
        return new ResultLine(node);
    }

    public static ResultLine failure(AgentFailure failure) {
        return failure(failure.reason(), failure.getMessage(), failure.extra());
    }

    /** The JSON text, guaranteed to be one line and at most {@link #MAX_BYTES} UTF-8 bytes. */
    public String toJson() {
        ObjectNode copy = node.deepCopy();
        String json = write(copy);
        int stringLimit = 512;
        while (bytes(json) > MAX_BYTES) {
            if (!shrinkLongestArray(copy)) {
                if (stringLimit < 16) {
                    break;
                }
                shrinkStrings(copy, stringLimit);
                stringLimit /= 2;
            }
            json = write(copy);
        }
        return json;
    }

    public void emit(PrintStream stdout, String terminationLogPath) {
        String json = toJson();
        stdout.println(json);
        stdout.flush();
        if (terminationLogPath != null && !terminationLogPath.isBlank()) {
            try {
                Files.writeString(Path.of(terminationLogPath), json + "\n", StandardCharsets.UTF_8);
            } catch (IOException | RuntimeException e) {
                System.err.println("level=warn event=termination-log.unwritable path=" + terminationLogPath
                        + " error=\"" + e.getMessage() + "\"");
            }
        }
    }

    private static boolean shrinkLongestArray(ObjectNode root) {
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

    private static void shrinkStrings(JsonNode node, int limit) {
        if (node instanceof ObjectNode o) {
            List<String> names = new ArrayList<>();
            o.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                JsonNode child = o.get(name);
                if (child.isTextual() && child.asText().length() > limit) {
                    o.put(name, truncate(child.asText(), limit));
                } else {
                    shrinkStrings(child, limit);
                }
            }
        } else if (node instanceof ArrayNode a) {
            for (int i = 0; i < a.size(); i++) {
                JsonNode child = a.get(i);
                if (child.isTextual() && child.asText().length() > limit) {
                    a.set(i, a.textNode(truncate(child.asText(), limit)));
                } else {
                    shrinkStrings(child, limit);
                }
            }
        }
    }

    static String truncate(String s, int maxChars) {
        return s.length() <= maxChars ? s : s.substring(0, maxChars - 1) + "…";
    }

    private static String write(JsonNode node) {
        try {
            return Json.mapper().writeValueAsString(node);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }
}

package io.backtrack.e2e.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Fabric8 7.4's CRUD dispatcher with the optimistic locking a real API server has on the status
 * subresource: its PUT handler for {@code .../status} copies only the status out of the request and so
 * never sees a stale {@code metadata.resourceVersion}. Operators rely on the 409 (JOSDK's status updates,
 * our Job runner), so this checks it first. PATCHes and main-resource PUTs are already checked upstream.
 *
 * <p>Mutations are serialized on this object so the check and the write are one step; the upstream
 * dispatcher's own lock is private.
 */
final class LockingCrudDispatcher extends KubernetesCrudDispatcher {

    @Override
    public synchronized MockResponse handleCreate(RecordedRequest request) {
        return super.handleCreate(request);
    }

    @Override
    public synchronized MockResponse handleDelete(String path) {
        return super.handleDelete(path);
    }

    @Override
    public synchronized MockResponse handlePatch(RecordedRequest request) {
        return super.handlePatch(request);
    }

    @Override
    public synchronized MockResponse handleUpdate(RecordedRequest request) {
        String path = request.getPath();
        if (!isStatusPath(path) || request.getBody() == null) {
            return super.handleUpdate(request);
        }
        // Reading the body consumes it: hand the upstream handler a fresh copy.
        byte[] body = request.getBody().readByteArray();
        MockResponse conflict = staleStatusUpdate(path, new String(body, StandardCharsets.UTF_8));
        if (conflict != null) {
            return conflict;
        }
        return super.handleUpdate(new RecordedRequest(request.getHttpVersion(), request.method(), path,
                request.getHeaders(), new Buffer(body)));
    }

    private MockResponse staleStatusUpdate(String path, String body) {
        JsonNode sent;
        try {
            sent = Serialization.jsonMapper().readTree(body);
        } catch (Exception e) {
            return null; // let the upstream handler answer the malformed body
        }
        String sentVersion = sent.path("metadata").path("resourceVersion").asText("");
        if (sentVersion.isEmpty()) {
            return null; // no precondition: last write wins, as in Kubernetes
        }
        AttributeSet key = getKey(path);
        Map.Entry<AttributeSet, String> stored = key == null ? null : findResource(key);
        if (stored == null) {
            return null; // upstream answers 404
        }
        JsonNode current;
        try {
            current = Serialization.jsonMapper().readTree(stored.getValue());
        } catch (Exception e) {
            return null;
        }
        String currentVersion = current.path("metadata").path("resourceVersion").asText("");
        if (currentVersion.equals(sentVersion)) {
            return null;
        }
        String kind = current.path("kind").asText();
        String name = current.path("metadata").path("name").asText();
        var status = new StatusBuilder().withApiVersion("v1").withKind("Status").withStatus("Failure")
                .withReason("Conflict").withCode(409)
                .withMessage("Operation cannot be fulfilled on %s \"%s\": the object has been modified; please apply "
                        .formatted(kind, name) + "your changes to the latest version and try again")
                .withNewDetails().withKind(kind).withName(name).endDetails().build();
        return new MockResponse().setResponseCode(409).setHeader("Content-Type", "application/json")
                .setBody(Serialization.asJson(status));
    }

    private static boolean isStatusPath(String path) {
        int query = path.indexOf('?');
        String plain = query < 0 ? path : path.substring(0, query);
        return plain.endsWith("/status");
    }
}

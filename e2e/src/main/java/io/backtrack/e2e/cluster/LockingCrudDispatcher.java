package io.backtrack.e2e.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.crud.CrudDispatcher;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Map;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReadWriteLock;

/**
 * Fabric8 7.4's CRUD dispatcher with the optimistic locking a real API server has on the status
 * subresource: its PUT handler for {@code .../status} copies only the status out of the request and so
 * never sees a stale {@code metadata.resourceVersion}. Operators rely on the 409 (JOSDK's status updates,
 * our Job runner), so this checks it first. PATCHes and main-resource PUTs are already checked upstream.
 *
 * <p>Mutations are serialized on this object so the check and the write are one step; the upstream
 * dispatcher's own lock is private. Objects are found by name through an index (see {@link NameIndexedStore}).
 */
final class LockingCrudDispatcher extends KubernetesCrudDispatcher {
    private final NameIndexedStore store = new NameIndexedStore();
    private final Map<AttributeSet, String> storeMap = Collections.synchronizedMap(store);
    private final Lock readLock;

    /**
     * Swaps the upstream dispatcher's store (a synchronized LinkedHashMap it creates and scans for every request) for
     * the same kind of map with a name index (see {@link NameIndexedStore}). Both fields are private or final
     * upstream, hence reflection; this runs before anything is stored.
     */
    LockingCrudDispatcher() {
        try {
            Field map = CrudDispatcher.class.getDeclaredField("map");
            map.setAccessible(true);
            map.set(this, storeMap);
            Field lock = KubernetesCrudDispatcher.class.getDeclaredField("lock");
            lock.setAccessible(true);
            readLock = ((ReadWriteLock) lock.get(this)).readLock();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot index the mock API server's store", e);
        }
    }

    /**
     * Upstream scans every stored object; the create, update and patch handlers find theirs here. They hold the
     * upstream write lock, as upstream's own callers of this method hold a lock.
     */
    @Override
    public Map.Entry<AttributeSet, String> findResource(AttributeSet attributes) {
        if (!NameIndexedStore.answers(attributes)) {
            return super.findResource(attributes);
        }
        synchronized (storeMap) {
            return store.find(attributes);
        }
    }

    /**
     * A GET of one object by name, from the index under upstream's read lock (an update removes and re-adds the
     * object under its write lock: never seen half-done); lists, watches and anything else as upstream.
     */
    @Override
    public MockResponse handleGet(String path) {
        AttributeSet query = path.contains("watch") ? null : getKey(path);
        if (query == null || !NameIndexedStore.answers(query)) {
            return super.handleGet(path);
        }
        readLock.lock();
        try {
            Map.Entry<AttributeSet, String> found = findResource(query);
            return found == null ? new MockResponse().setResponseCode(404)
                    : new MockResponse().setResponseCode(200).setBody(found.getValue());
        } finally {
            readLock.unlock();
        }
    }

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

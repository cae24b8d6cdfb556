package io.backtrack.e2e.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Killing a container's processes the way a runtime does: the whole tree, not just the entrypoint. */
final class Processes {

    private static final int SIGKILL_EXIT = 137;

    private Processes() {
    }

    /**
     * SIGKILLs the process and all its descendants and waits (briefly) until they are gone; returns the
     * entrypoint's exit code (137 when it will not say).
     */
    static int killTree(Process process) {
        // Children before parents: a still-living parent reaps its killed children at once, where
        // orphans would linger as zombies until init gets to them. Collect before killing: once a
        // parent dies its children are re-parented and no longer found.
        List<ProcessHandle> descendants = new ArrayList<>(process.descendants().toList());
        java.util.Collections.reverse(descendants);
        descendants.forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        List<CompletableFuture<ProcessHandle>> exits = new ArrayList<>();
        descendants.forEach(d -> exits.add(d.onExit()));
        try {
            boolean exited = process.waitFor(5, TimeUnit.SECONDS);
            CompletableFuture.allOf(exits.toArray(CompletableFuture[]::new)).get(2, TimeUnit.SECONDS);
            return exited ? process.exitValue() : SIGKILL_EXIT;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // a descendant outlived the wait: reported killed anyway, the kernel finishes it
        }
        return process.isAlive() ? SIGKILL_EXIT : process.exitValue();
    }
}

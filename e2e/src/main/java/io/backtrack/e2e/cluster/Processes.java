package io.backtrack.e2e.cluster;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Stopping a container's processes the way a runtime does: SIGTERM to its main process, the grace period, then
 * SIGKILL to everything left. Each container runs in a session and process group of its own ({@code setsid}), which
 * stands in for its cgroup: once the main process has ended, what it left behind is killed with the group.
 */
final class Processes {

    private static final int SIGKILL_EXIT = 137;

    private Processes() {
    }

    /** SIGTERM, up to {@code grace} for the main process to exit, then SIGKILL of all; returns its exit code. */
    static int terminate(Process process, Duration grace) {
        if (process.isAlive()) {
            process.destroy(); // SIGTERM, to the main process only: a runtime signals PID 1 of the container
            try {
                if (process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                    killGroup(process);
                    return process.exitValue();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return killTree(process);
    }

    /**
     * SIGKILLs the process and all its descendants and waits (briefly) until they are gone; returns the
     * entrypoint's exit code (137 when it will not say).
     */
    static int killTree(Process process) {
        // Children before parents: a still-living parent reaps its killed children at once, where orphans would
        // linger as zombies until init gets to them. Collect before killing: once a parent dies its children are
        // re-parented and no longer found.
        List<ProcessHandle> descendants = new ArrayList<>(process.descendants().toList());
        Collections.reverse(descendants);
        descendants.forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        List<CompletableFuture<ProcessHandle>> exits = new ArrayList<>();
        descendants.forEach(d -> exits.add(d.onExit()));
        try {
            boolean exited = process.waitFor(5, TimeUnit.SECONDS);
            CompletableFuture.allOf(exits.toArray(CompletableFuture[]::new)).get(2, TimeUnit.SECONDS);
            killGroup(process);
            return exited ? process.exitValue() : SIGKILL_EXIT;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // a descendant outlived the wait: reported killed anyway, the kernel finishes it
        }
        return process.isAlive() ? SIGKILL_EXIT : process.exitValue();
    }

    /** SIGKILL to the container's process group (its leader's pid): what the main process left running. */
    static void killGroup(Process process) {
        try {
            new ProcessBuilder("kill", "-KILL", "--", "-" + process.pid())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start()
                    .waitFor(5, TimeUnit.SECONDS);
        } catch (IOException e) {
            // no kill(1): descendants were handled by killTree where it ran
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

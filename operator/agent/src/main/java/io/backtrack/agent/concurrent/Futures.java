package io.backtrack.agent.concurrent;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** Joining set-up work that ran beside the main path, so that its failure reads as if it had run inline. */
public final class Futures {
    private Futures() {
    }

    /** The future's value, or its own exception rethrown (an AgentFailure stays an AgentFailure). */
    public static <T> T join(CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw e;
        }
    }
}

package io.backtrack.agent.stream;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Collects a child process's stderr on a daemon thread, keeping only the last {@code limit} bytes:
 * enough for the error message, bounded however chatty the tool is.
 */
public final class BoundedTail {
    private final byte[] ring;
    private long total;
    private final Thread thread;

    private BoundedTail(InputStream in, int limit, String name) {
        this.ring = new byte[limit];
        this.thread = new Thread(() -> pump(in), name);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    public static BoundedTail collect(InputStream in, int limit, String threadName) {
        return new BoundedTail(in, limit, threadName);
    }

    private void pump(InputStream in) {
        byte[] buf = new byte[4096];
        try (in) {
            int n;
            while ((n = in.read(buf)) >= 0) {
                synchronized (this) {
                    for (int i = 0; i < n; i++) {
                        ring[(int) (total++ % ring.length)] = buf[i];
                    }
                }
            }
        } catch (IOException ignored) {
            // the process went away; what we have is what there is
        }
    }

    /** The collected text after the stream ended (waits up to 5 s for the reader thread). */
    public String text() {
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            int len = (int) Math.min(total, ring.length);
            byte[] out = new byte[len];
            long from = total - len;
            for (int i = 0; i < len; i++) {
                out[i] = ring[(int) ((from + i) % ring.length)];
            }
            return new String(out, StandardCharsets.UTF_8).strip();
        }
    }
}

package dev.mmcheck.checker;

/**
 * A flag a caller raises to stop a running check; the search notices it between blocks of states and ends with
 * {@link Stop#CANCELLED} and a partial result. Safe to raise from any thread (a signal handler, a timer).
 */
public final class Cancellation {
    private volatile boolean cancelled;

    public void cancel() {
        cancelled = true;
    }

    public boolean isCancelled() {
        return cancelled;
    }
}

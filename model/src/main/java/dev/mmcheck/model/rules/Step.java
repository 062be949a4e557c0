package dev.mmcheck.model.rules;

import com.google.common.collect.ImmutableList;
import dev.mmcheck.model.state.MmState;

/**
 * The result of running one operation.
 *
 * @param after  the successor state (the same state for {@link Outcome#NOT_RUNNABLE} and {@link Outcome#FAILED})
 * @param path   the kernel functions and branches the operation went through, in order
 */
public record Step(Outcome outcome, MmState after, ImmutableList<String> path) {
    public enum Outcome {
        /** The call completed. */
        DONE,
        /** The call returned an error or the access faulted fatally (-EFAULT, SIGSEGV); nothing changed. */
        FAILED,
        /** The operation cannot be issued in this state (its process does not exist, the reference is gone). */
        NOT_RUNNABLE,
        /**
         * The access faulted into userfaultfd: the fault is queued to the monitor (the successor state records it) and
         * the access waits; it runs again once the monitor resolves the fault. A program stays at the step.
         */
        TRAPPED,
        /**
         * The operation took one of its steps (a /proc/PID/mem write between GUP's retries, or between GUP and the
         * copy) and is still in flight: the successor state records where it is. A program stays at the step.
         */
        IN_PROGRESS
    }
}

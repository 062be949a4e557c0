package dev.mmcheck.cli;

/**
 * The exit statuses, each of which means exactly one thing. When several specs end differently, the status is the
 * first of INTERNAL_ERROR, INTERRUPTED, VIOLATION, BAD_INPUT, INCOMPLETE, OK that applies.
 */
public enum Exit {
    /** Every spec ran to completion within its bounds without a violation, and every exists/witness was reached. */
    OK(0),
    /** A violation, an exists/witness not reached within complete bounds, or a vacuous outcome clause. */
    VIOLATION(1),
    /** Bad input or usage: one message with file:line:column (or the option) says what was expected. */
    BAD_INPUT(2),
    /** A bug in mmcheck: one line on the terminal, the stack trace in a file it names. */
    INTERNAL_ERROR(3),
    /** No violation in the explored part, but a state bound, time limit or memory limit stopped the search. */
    INCOMPLETE(4),
    /** Ctrl-C: the search stopped, the partial report was printed and written to every --out file. */
    INTERRUPTED(130);

    public final int code;

    Exit(int code) {
        this.code = code;
    }

    private static final Exit[] PRECEDENCE = {INTERNAL_ERROR, INTERRUPTED, VIOLATION, BAD_INPUT, INCOMPLETE, OK};

    /** The status of a run in which both happened. */
    public Exit and(Exit other) {
        for (Exit e : PRECEDENCE) {
            if (e == this || e == other) return e;
        }
        throw new IllegalStateException();
    }
}

package dev.mmcheck.lib.run;

/** What a check found for one property, phrased for a bounded search. */
public enum Verdict {
    NO_VIOLATION_WITHIN_BOUNDS("no violation within bounds", Kind.PASS),
    VIOLATED("VIOLATED", Kind.FAIL),
    REACHED("reached", Kind.PASS),
    NOT_REACHED_WITHIN_BOUNDS("NOT reached within bounds", Kind.FAIL),
    /** The search stopped (state bound, time or memory limit, Ctrl-C) before it covered the bounds. */
    NO_VIOLATION_IN_EXPLORED_PART("no violation in the explored part (incomplete)", Kind.INCOMPLETE),
    NOT_REACHED_IN_EXPLORED_PART("not reached in the explored part (incomplete)", Kind.INCOMPLETE),
    /** A forbidden/exists clause over final states when no interleaving runs every program to its end. */
    VACUOUS("VACUOUS: no interleaving runs every program to its end", Kind.FAIL),
    NOT_APPLICABLE("not applicable to this profile", Kind.PASS);

    /** How a verdict counts toward the exit status. */
    public enum Kind { PASS, FAIL, INCOMPLETE }

    private final String text;
    private final Kind kind;

    Verdict(String text, Kind kind) {
        this.text = text;
        this.kind = kind;
    }

    public String text() {
        return text;
    }

    public Kind kind() {
        return kind;
    }

    /** Counts toward exit status 1. */
    public boolean failing() {
        return kind == Kind.FAIL;
    }
}

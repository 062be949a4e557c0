package dev.mmcheck.lib.run;

/** What a check found for one property, phrased for a bounded search. */
public enum Verdict {
    NO_VIOLATION_WITHIN_BOUNDS("no violation within bounds", false),
    VIOLATED("VIOLATED", true),
    REACHED("reached", false),
    NOT_REACHED_WITHIN_BOUNDS("NOT reached within bounds", true),
    NOT_APPLICABLE("not applicable to this profile", false);

    private final String text;
    private final boolean failing;

    Verdict(String text, boolean failing) {
        this.text = text;
        this.failing = failing;
    }

    public String text() {
        return text;
    }

    /** Counts toward exit status 1. */
    public boolean failing() {
        return failing;
    }
}
